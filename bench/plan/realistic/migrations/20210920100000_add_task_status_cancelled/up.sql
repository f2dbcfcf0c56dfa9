ALTER TYPE task_status ADD VALUE 'cancelled';
