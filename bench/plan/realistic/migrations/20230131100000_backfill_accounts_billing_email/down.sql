UPDATE accounts SET billing_email = NULL;
