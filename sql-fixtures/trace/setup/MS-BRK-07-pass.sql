ALTER TYPE appointment_status ADD VALUE 'cancelled' AFTER 'canceled';
