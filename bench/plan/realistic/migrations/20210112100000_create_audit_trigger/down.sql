DROP TRIGGER memberships_audit ON memberships;
DROP TRIGGER projects_audit ON projects;
DROP FUNCTION audit_row_change();
