//! One row of a domain page: the record to publish (type, host name, exact value), what the
//! latest check found there and what that means, in plain words with the fix.

use super::StatusBadge;
use crate::components::CopyValue;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use postkamer_domain::Locale;
use postkamer_domain::sending::{Finding, RecordKind, RecordView, Severity, Status};

/// The `data-test` suffix of a row: `record-spf`, `record-key001`, `record-key002`,
/// `record-dmarc`, `record-ownership`.
fn slug(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Spf => "spf",
        RecordKind::Key001 => "key001",
        RecordKind::Key002 => "key002",
        RecordKind::Dmarc => "dmarc",
        RecordKind::Ownership => "ownership",
    }
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

fn relative_host_hint(kind: RecordKind, locale: Locale) -> &'static str {
    match kind {
        RecordKind::Spf => t(
            locale,
            "@ is het domein zelf; sommige DNS-providers willen dit veld dan leeg.",
            "@ is the domain itself; some DNS providers want the field empty instead.",
        ),
        RecordKind::Ownership => t(
            locale,
            "Deze code is van uw organisatie: zo weet Postkamer dat het domein van u is (de DKIM-sleutels zijn voor iedereen gelijk). Sommige DNS-providers voegen het domein zelf toe; vul dan alleen deze korte naam in.",
            "This token is your organisation's: it tells Postkamer the domain is yours (the DKIM keys are the same for everyone). Some DNS providers add the domain themselves; then enter only this short name.",
        ),
        _ => t(
            locale,
            "Sommige DNS-providers voegen het domein zelf toe; vul dan alleen deze korte naam in.",
            "Some DNS providers add the domain themselves; then enter only this short name.",
        ),
    }
}

#[component]
pub(super) fn RecordCard(record: RecordView) -> impl IntoView {
    let locale = use_locale();
    let RecordView { publish, check } = record;
    let kind = publish.kind;
    let status = check.as_ref().map(|c| c.status);
    let data_status = status.unwrap_or(Status::Unknown).as_str();
    let found = check.as_ref().map(|c| c.found.clone());
    let findings = check
        .as_ref()
        .map(|c| c.findings.clone())
        .unwrap_or_default();
    let tree = check.and_then(|c| c.lookup_tree);
    view! {
        <section class=format!("card record {data_status}") data-test=format!("record-{}", slug(kind)) data-status=data_status>
            <header class="record-head">
                <h2>{move || kind.label(locale.get())}</h2>
                <StatusBadge status />
            </header>
            <dl class="record-fields">
                <dt>{tr("Type", "Type")}</dt>
                <dd><code data-test="record-type">{publish.record_type}</code></dd>
                <dt>{tr("Naam / host", "Name / host")}</dt>
                <dd>
                    <code class="host" data-test="relative-host">{publish.relative_host}</code>
                    <span class="muted full-host">" = "<code data-test="full-host">{publish.host}</code></span>
                    <p class="hint">{move || relative_host_hint(kind, locale.get())}</p>
                </dd>
                <dt>{tr("Waarde", "Value")}</dt>
                <dd>
                    <CopyValue value=publish.value test="publish-value" />
                    <p class="hint">{tr("Precies zo, op één regel: geen spaties of regeleinden toevoegen.", "Exactly like this, on one line: add no spaces or line breaks.")}</p>
                </dd>
                <dt>{tr("Gevonden", "Found")}</dt>
                <dd data-test="found">{match found {
                    None => view! { <span class="muted">{tr("Nog niet gecontroleerd", "Not checked yet")}</span> }.into_any(),
                    Some(found) if found.is_empty() => view! { <span class="muted">{tr("Niets", "Nothing")}</span> }.into_any(),
                    Some(found) => found.into_iter().map(|value| view! {
                        <div class="found-value mono">{value}</div>
                    }).collect_view().into_any(),
                }}</dd>
            </dl>
            <FindingList findings />
            {tree.map(|tree| {
                let lookups = tree.lookups;
                view! {
                    <details class="lookup-tree" data-test="spf-lookups">
                        <summary>{move || match locale.get() {
                            Locale::Nl => format!("SPF-lookups: {lookups} van de 10 toegestane"),
                            Locale::En => format!("SPF lookups: {lookups} of the 10 allowed"),
                        }}</summary>
                        <pre class="mono">{tree.lines().join("\n")}</pre>
                    </details>
                }
            })}
        </section>
    }
}

/// The findings in plain words: what is wrong (or right), the fix, and a value to copy.
#[component]
pub(super) fn FindingList(findings: Vec<Finding>) -> impl IntoView {
    let locale = use_locale();
    let findings = StoredValue::new(findings);
    move || {
        let locale = locale.get();
        findings.with_value(|findings| {
            (!findings.is_empty()).then(|| {
                let items = findings
                    .iter()
                    .map(|finding| {
                        let explanation = finding.explain(locale);
                        view! {
                            <li class=format!("finding {}", severity_class(finding.severity()))
                                data-test="finding" data-code=finding.code()>
                                <p>{explanation.text}</p>
                                {explanation.fix.map(|fix| view! { <p class="fix">{fix}</p> })}
                                {explanation.value.map(|value| view! { <CopyValue value test="finding-value" /> })}
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ul class="findings">{items}</ul> }
            })
        })
    }
}
