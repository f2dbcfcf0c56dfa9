-- US spelling across the product.
ALTER TYPE task_status RENAME VALUE 'cancelled' TO 'canceled';
