CREATE TABLE `linkedin_links` (
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`member_urn` text NOT NULL,
	`member_name` text NOT NULL,
	`access_token_sealed` text NOT NULL,
	`access_token_expires_at` integer NOT NULL,
	`refresh_token_sealed` text,
	`refresh_token_expires_at` integer,
	`scopes` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`relink_notified_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `linkedin_links_member_idx` ON `linkedin_links` (`member_urn`);--> statement-breakpoint
CREATE TABLE `oauth_states` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`consumed_at` integer,
	`data` text
);
--> statement-breakpoint
CREATE INDEX `oauth_states_expires_idx` ON `oauth_states` (`expires_at`);--> statement-breakpoint
CREATE TABLE `saved_queries` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`spec` text NOT NULL,
	`compare_spec` text,
	`parent_id` text,
	`status` text NOT NULL,
	`result` text,
	`compare_result` text,
	`names` text,
	`error` text,
	`chart_style` text,
	`channel_id` text,
	`shared_channel_id` text,
	`shared_ts` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `saved_queries`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `saved_queries_owner_created_idx` ON `saved_queries` (`team_id`,`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `saved_queries_parent_idx` ON `saved_queries` (`parent_id`);--> statement-breakpoint
CREATE TABLE `user_preferences` (
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`default_account_urn` text,
	`cached_accounts` text,
	`cached_accounts_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `workspace_settings` (
	`team_id` text PRIMARY KEY NOT NULL,
	`chart_style` text,
	`updated_at` integer NOT NULL
);
