DELETE FROM account_invites;
