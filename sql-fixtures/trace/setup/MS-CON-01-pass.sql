CREATE UNIQUE INDEX professionals_email_key ON professionals (email);
