DROP VIEW account_overview;
