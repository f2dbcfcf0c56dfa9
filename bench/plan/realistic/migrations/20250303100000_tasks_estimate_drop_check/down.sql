-- PostgreSQL 18 lets the restored CHECK be NOT ENFORCED: no scan on the way back.
ALTER TABLE tasks ADD CONSTRAINT tasks_estimate_minutes_check CHECK (estimate_minutes >= 0) NOT ENFORCED;
