DROP INDEX "case_state_state_idx";--> statement-breakpoint
DROP INDEX "case_state_item_idx";--> statement-breakpoint
DROP INDEX "case_state_business_idx";--> statement-breakpoint
DROP INDEX "case_state_responsible_idx";--> statement-breakpoint
DROP INDEX "case_state_completed_idx";--> statement-breakpoint
CREATE INDEX "case_state_open_state_idx" ON "case_state" USING btree ("state","received_at","case_no") WHERE completed_at is null;--> statement-breakpoint
CREATE INDEX "case_state_pending_idx" ON "case_state" USING btree ("deemed_from") WHERE acceptance = 'pending';--> statement-breakpoint
CREATE INDEX "case_state_completed_idx" ON "case_state" USING btree ("completed_at","case_no");