CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer NOT NULL,
	"expire" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "last_used_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "rate_limit_per_minute" integer;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_rate_limit_range" CHECK ("api_tokens"."rate_limit_per_minute" BETWEEN 1 AND 100000);--> statement-breakpoint
-- Hand-written: every server process caches verified tokens (src/domain/access/token-cache.ts) and
-- LISTENs on factcheck_access. Whatever changes who a token stands for (revocation, expiry, the
-- user's role, name or active flag, a deletion), by the API or by hand, tells every process at
-- commit. last_used_at is bookkeeping and notifies nobody.
CREATE FUNCTION notify_access_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('factcheck_access', TG_ARGV[0] || ':' || OLD.id::text);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER users_access_changed AFTER UPDATE OF role, active, name ON users
  FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.active IS DISTINCT FROM NEW.active OR OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION notify_access_change('user');--> statement-breakpoint
CREATE TRIGGER users_access_deleted AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION notify_access_change('user');--> statement-breakpoint
CREATE TRIGGER api_tokens_access_changed AFTER UPDATE OF revoked_at, expires_at, rate_limit_per_minute, user_id ON api_tokens
  FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
    OR OLD.rate_limit_per_minute IS DISTINCT FROM NEW.rate_limit_per_minute OR OLD.user_id IS DISTINCT FROM NEW.user_id)
  EXECUTE FUNCTION notify_access_change('token');--> statement-breakpoint
CREATE TRIGGER api_tokens_access_deleted AFTER DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION notify_access_change('token');
