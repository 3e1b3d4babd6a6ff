//! Integration tests of the store. Every test is written once, as `async fn name(store: Store)`
//! in one of the modules below, and runs against both engines: `sqlite::name` on a fresh
//! database file, `postgres::name` on a fresh database of the server named by
//! `POSTKAMER_TEST_PG_URL` (scripts/test.sh starts one and sets it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "store/accounts.rs"]
mod accounts;
#[path = "store/cards.rs"]
mod cards;
#[path = "store/companies.rs"]
mod companies;
#[path = "store/domains.rs"]
mod domains;
#[path = "store/fixtures.rs"]
mod fixtures;
#[path = "store/harness.rs"]
#[macro_use]
mod harness;
#[path = "store/drafts.rs"]
mod drafts;
#[path = "store/mail.rs"]
mod mail;
#[path = "store/outbox.rs"]
mod outbox;
#[path = "store/persons.rs"]
mod persons;
#[path = "store/privacy.rs"]
mod privacy;
#[path = "store/sessions.rs"]
mod sessions;
#[path = "store/templates.rs"]
mod templates;

on_both_engines! {
    accounts: [
        migrations_are_idempotent_and_ping_works,
        orgs_are_created_and_found,
        users_are_created_with_unique_email,
        user_for_login_returns_the_hash,
        users_are_listed_by_name_per_org,
        user_settings_are_updated,
        active_superadmins_are_counted,
        users_are_isolated_between_orgs,
    ],
    sessions: [
        sessions_expire_and_extend,
        inactive_user_has_no_session,
        delete_user_sessions_keeps_one,
        expired_sessions_are_deleted,
        api_tokens_are_listed_used_and_revoked,
        api_token_of_another_user_cannot_be_revoked,
        login_failures_are_counted_cleared_and_pruned,
        login_attempts_are_claimed_atomically,
    ],
    companies::records: [
        company_is_created_read_and_updated,
        deleting_a_company_keeps_its_persons,
    ],
    companies::lists: [
        companies_are_searched,
        companies_are_sorted,
        company_pages_are_stable,
    ],
    companies::records: [
        companies_by_domain_and_refs,
        companies_are_isolated_between_orgs,
    ],
    persons::writes: [
        person_is_created_with_emails_and_phones,
        person_update_keeps_uid_and_replaces_children,
    ],
    persons::search: [
        persons_are_found_by_email,
        persons_are_searched,
        persons_are_filtered_and_sorted,
    ],
    persons::integrity: [
        unknown_company_is_refused_and_nothing_stored,
        deleting_a_person_removes_its_emails,
        persons_are_isolated_between_orgs,
        hostile_text_is_stored_as_plain_text,
    ],
    cards::sync: [
        the_change_log_follows_every_change_a_phone_must_see,
        phones_cards_keep_their_name_and_original,
        app_passwords_and_devices,
    ],
    cards::selections: [
        selections_and_the_person_log,
    ],
    cards::pruning: [
        pruned_change_logs_refuse_older_tokens_only,
    ],
    domains::claims: [
        domains_are_claimed_per_organisation_and_held_by_one,
        each_organisation_keeps_one_verification_token,
    ],
    domains::checks: [
        every_domain_is_listed_for_its_check,
        dkim_keys_and_notices,
    ],
    mail::storing: [
        batches_are_idempotent_and_messages_stored_once,
        mail_links_to_persons_by_address_including_earlier_mail,
    ],
    mail::reading: [
        private_mail_stays_with_its_owner,
        mail_is_searched_in_subject_body_and_addresses,
    ],
    mail::state: [
        flags_and_progress_are_kept,
        enabled_mailboxes_are_listed_with_their_organisation,
        changing_the_server_starts_over,
    ],
    privacy::addresses: [
        own_addresses_never_become_a_contact_persons,
        address_changes_are_logged_with_who_and_how,
        colleagues_mail_is_never_linked_through_their_own_address,
    ],
    templates: [
        templates_keep_their_versions_and_show_who_uses_them,
        template_images_are_kept_once_per_organisation,
        action_types_are_added_renamed_and_switched_off,
    ],
    drafts: [
        drafts_are_their_writers_and_wait_while_they_are_sent,
    ],
    outbox: [
        a_message_is_queued_with_its_job_and_moves_forward,
        a_sent_message_is_in_verzonden_at_once_and_only_once,
        smtp_accounts_keep_their_password_until_a_new_one_is_given,
    ],
    privacy::copies: [
        a_copy_with_the_same_headers_is_another_message,
        each_user_is_served_their_own_copy,
        counts_follow_visibility,
    ],
}

/// The migration that stores copies apart (`mail_copies`), on both engines.
mod upgrade {
    use crate::harness::run_upgrade;
    use crate::privacy::upgrade::{
        LEGACY_SHARED_MESSAGES, shared_rows_of_old_are_split_into_copies,
    };
    use postkamer_store::Engine;

    const MAIL_COPIES: i64 = 20261206000001;
    const SQLITE_FTS: &str = "INSERT INTO messages_fts (rowid, subject, body, addresses) \
        VALUES (1001, 'gedeeld', '', ''), (1002, 'eigen', '', '');";

    #[tokio::test]
    async fn sqlite_shared_rows_of_old_are_split_into_copies() {
        let legacy = format!("{LEGACY_SHARED_MESSAGES}{SQLITE_FTS}");
        run_upgrade(
            Engine::Sqlite,
            MAIL_COPIES,
            &legacy,
            shared_rows_of_old_are_split_into_copies,
        )
        .await;
    }

    #[tokio::test]
    async fn postgres_shared_rows_of_old_are_split_into_copies() {
        run_upgrade(
            Engine::Postgres,
            MAIL_COPIES,
            LEGACY_SHARED_MESSAGES,
            shared_rows_of_old_are_split_into_copies,
        )
        .await;
    }
}

/// The migration that lets several organisations claim a domain (`domain_ownership`; on SQLite a
/// rebuild of the table), on both engines: nothing that hangs off a domain is lost.
mod domain_upgrade {
    use crate::domains::upgrade::{
        LEGACY_HELD_DOMAIN, held_domains_keep_everything_and_are_checked_at_once,
    };
    use crate::harness::run_upgrade;
    use postkamer_store::Engine;

    const DOMAIN_OWNERSHIP: i64 = 20261206000002;

    #[tokio::test]
    async fn sqlite_held_domains_keep_everything_and_are_checked_at_once() {
        run_upgrade(
            Engine::Sqlite,
            DOMAIN_OWNERSHIP,
            LEGACY_HELD_DOMAIN,
            held_domains_keep_everything_and_are_checked_at_once,
        )
        .await;
    }

    #[tokio::test]
    async fn postgres_held_domains_keep_everything_and_are_checked_at_once() {
        run_upgrade(
            Engine::Postgres,
            DOMAIN_OWNERSHIP,
            LEGACY_HELD_DOMAIN,
            held_domains_keep_everything_and_are_checked_at_once,
        )
        .await;
    }
}
