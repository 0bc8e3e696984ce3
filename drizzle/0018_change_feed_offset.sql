CREATE TABLE "change_feed_offset" (
	"single" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"position_offset" bigint NOT NULL,
	CONSTRAINT "change_feed_offset_single" CHECK ("change_feed_offset"."single")
);
