DROP TABLE account_invites;
