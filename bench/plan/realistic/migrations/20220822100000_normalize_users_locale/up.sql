UPDATE users SET locale = lower(locale);
