-- The application's database role: what web, worker and beat connect as.
--
-- Applied by the schema owner after every `migrate` (docker-compose's migrate service runs
-- `manage.py db_app_role`, which sets the two settings below and executes this file), so
-- tables added by later migrations are granted too. Idempotent.
--
--   rectify.app_role      name of the role (default rectify_app)
--   rectify.app_password  its password (empty: left as it is)
--
-- By hand, as the owner:
--   psql "$OWNER_URL" -c "SET rectify.app_role = 'rectify_app'" \
--        -c "SET rectify.app_password = '...'" -f deploy/postgres/app_role.sql
--
-- The role owns nothing: it cannot ALTER a table, DISABLE its triggers or TRUNCATE it.
-- On the audit table it may only INSERT and SELECT; on every other table of the schema it
-- gets the ordinary SELECT, INSERT, UPDATE, DELETE.
DO $body$
DECLARE
    app_role text := coalesce(nullif(current_setting('rectify.app_role', true), ''), 'rectify_app');
    app_password text := current_setting('rectify.app_password', true);
BEGIN
    IF app_role = current_user THEN
        RAISE EXCEPTION 'the application role must not be the schema owner (%)', app_role;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app_role) THEN
        EXECUTE format(
            'CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
            app_role
        );
    END IF;
    IF coalesce(app_password, '') <> '' THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', app_role, app_password);
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), app_role);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app_role);
    EXECUTE format('REVOKE CREATE ON SCHEMA public FROM %I', app_role);
    EXECUTE format(
        'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', app_role
    );
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app_role);
    -- The audit trail: append and read, nothing else.
    EXECUTE format('REVOKE ALL ON rectify_auditevent FROM %I', app_role);
    EXECUTE format('GRANT SELECT, INSERT ON rectify_auditevent TO %I', app_role);
    -- The migration history is the owner's business.
    EXECUTE format('REVOKE ALL ON django_migrations FROM %I', app_role);
    EXECUTE format('GRANT SELECT ON django_migrations TO %I', app_role);
END
$body$;
