CREATE INDEX "staff_department_idx" ON "staff" USING btree ("department","no");--> statement-breakpoint
CREATE INDEX "staff_competencies_idx" ON "staff" USING gin ("competencies");