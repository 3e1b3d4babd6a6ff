//! The actiebalk above the editor: marks, block type, lists, quote, link, alignment, rule,
//! undo/redo, clear formatting, and the menu Div. (Inhoud, Samenvoegveld, Handtekening).
//! Buttons keep the editor's selection (they act on mousedown's default being prevented) and
//! show what is active at the cursor.

use super::{EditorHandle, EditorState, field_label};
use crate::api::templates::UploadTemplateImage;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use postkamer_domain::merge::MergeField;

/// Which extra panel is open under the toolbar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    None,
    Div,
    Field,
    Link,
}

#[component]
pub fn Toolbar(
    handle: EditorHandle,
    state: RwSignal<Option<EditorState>>,
    link_requested: RwSignal<u32>,
) -> impl IntoView {
    let locale = use_locale();
    let panel = RwSignal::new(Panel::None);
    Effect::new(move |previous: Option<u32>| {
        let n = link_requested.get();
        if previous.is_some_and(|p| p != n) {
            panel.set(Panel::Link);
        }
        n
    });
    let s = move |f: fn(&EditorState) -> bool| state.with(|s| s.as_ref().is_some_and(f));
    let disabled = move || state.with(Option::is_none);
    let run = move |name: &'static str, attrs: String| {
        handle.command(name, &attrs);
        handle.focus();
    };
    let mark = move |name: &'static str,
                     glyph: &'static str,
                     label: (&'static str, &'static str),
                     key: &'static str,
                     active: fn(&EditorState) -> bool| {
        view! {
            <button type="button" class="tb" class:active=move || s(active) aria-pressed=move || s(active).to_string()
                title=move || format!("{} ({key})", t(locale.get(), label.0, label.1))
                aria-label=move || t(locale.get(), label.0, label.1)
                data-test=format!("tb-{name}") disabled=disabled
                on:mousedown=|e| e.prevent_default()
                on:click=move |_| run(name, String::new())>
                <span class=format!("tb-icon tb-{name}") aria-hidden="true">{glyph}</span>
            </button>
        }
    };
    let block = move || state.with(|s| s.as_ref().map(|s| s.block.clone()).unwrap_or_default());
    let align = move || state.with(|s| s.as_ref().map(|s| s.align.clone()).unwrap_or_default());
    view! {
        <div class="pk-toolbar" role="toolbar" aria-label=move || t(locale.get(), "Actiebalk", "Toolbar")>
            <div class="tb-group">
                {mark("strong", "B", ("Vet", "Bold"), "Ctrl+B", |s| s.strong)}
                {mark("em", "I", ("Cursief", "Italic"), "Ctrl+I", |s| s.em)}
                {mark("underline", "U", ("Onderstreept", "Underline"), "Ctrl+U", |s| s.underline)}
                {mark("strike", "S", ("Doorgehaald", "Strikethrough"), "Ctrl+Shift+S", |s| s.strike)}
            </div>
            <div class="tb-group">
                <select class="tb-select" data-test="tb-block" disabled=disabled
                    aria-label=move || t(locale.get(), "Opmaak van de alinea", "Paragraph style")
                    prop:value=block
                    on:change=move |e| {
                        match event_target_value(&e).as_str() {
                            "paragraph" => run("paragraph", String::new()),
                            heading => {
                                if let Some(level) = heading.strip_prefix("heading") {
                                    run("heading", format!("{{\"level\":{level}}}"));
                                }
                            }
                        }
                    }>
                    <option value="paragraph">{tr("Alinea", "Paragraph")}</option>
                    <option value="heading1">{tr("Kop 1", "Heading 1")}</option>
                    <option value="heading2">{tr("Kop 2", "Heading 2")}</option>
                    <option value="heading3">{tr("Kop 3", "Heading 3")}</option>
                    <option value="other" disabled=true>"—"</option>
                </select>
                <select class="tb-select" data-test="tb-align" disabled=disabled
                    aria-label=move || t(locale.get(), "Uitlijning", "Alignment")
                    prop:value=align
                    on:change=move |e| run("align", format!("{{\"align\":\"{}\"}}", event_target_value(&e)))>
                    <option value="left">{tr("Links", "Left")}</option>
                    <option value="center">{tr("Midden", "Centre")}</option>
                    <option value="right">{tr("Rechts", "Right")}</option>
                    <option value="justify">{tr("Uitvullen", "Justify")}</option>
                </select>
            </div>
            <div class="tb-group">
                {mark("bullet_list", "•", ("Opsomming", "Bulleted list"), "Ctrl+Shift+8", |s| s.list.as_deref() == Some("bullet"))}
                {mark("ordered_list", "1.", ("Nummering", "Numbered list"), "Ctrl+Shift+9", |s| s.list.as_deref() == Some("ordered"))}
                {mark("blockquote", "❝", ("Citaat", "Quote"), "Ctrl+>", |s| s.quote)}
                {mark("horizontal_rule", "―", ("Horizontale lijn", "Horizontal rule"), "---", |_| false)}
                <ImageButton handle disabled />
                <button type="button" class="tb" class:active=move || s(|s| s.link.is_some()) data-test="tb-link" disabled=disabled
                    title=move || format!("{} (Ctrl+K)", t(locale.get(), "Link", "Link"))
                    on:mousedown=|e| e.prevent_default()
                    on:click=move |_| panel.update(|p| *p = if *p == Panel::Link { Panel::None } else { Panel::Link })>
                    {tr("Link", "Link")}
                </button>
            </div>
            <div class="tb-group">
                <button type="button" class="tb" data-test="tb-undo" disabled=move || !s(|s| s.can_undo)
                    title=move || format!("{} (Ctrl+Z)", t(locale.get(), "Ongedaan maken", "Undo"))
                    on:mousedown=|e| e.prevent_default() on:click=move |_| run("undo", String::new())>"↶"</button>
                <button type="button" class="tb" data-test="tb-redo" disabled=move || !s(|s| s.can_redo)
                    title=move || format!("{} (Ctrl+Y)", t(locale.get(), "Opnieuw", "Redo"))
                    on:mousedown=|e| e.prevent_default() on:click=move |_| run("redo", String::new())>"↷"</button>
                <button type="button" class="tb" data-test="tb-clear" disabled=disabled
                    title=move || t(locale.get(), "Opmaak wissen", "Clear formatting")
                    on:mousedown=|e| e.prevent_default() on:click=move |_| run("clear_formatting", String::new())>
                    {tr("Opmaak wissen", "Clear formatting")}
                </button>
            </div>
            <div class="tb-group tb-menu">
                <button type="button" class="tb" data-test="tb-div" disabled=disabled aria-haspopup="menu"
                    aria-expanded=move || matches!(panel.get(), Panel::Div | Panel::Field).to_string()
                    on:mousedown=|e| e.prevent_default()
                    on:click=move |_| panel.update(|p| *p = if *p == Panel::Div { Panel::None } else { Panel::Div })>
                    "Div."
                </button>
                <Show when=move || panel.get() == Panel::Div>
                    <DivMenu handle state panel />
                </Show>
            </div>
        </div>
        <Show when=move || panel.get() == Panel::Field>
            <FieldPanel handle panel />
        </Show>
        <Show when=move || panel.get() == Panel::Link>
            <LinkPanel handle state panel />
        </Show>
    }
}

/// Afbeelding: a PNG, JPEG, GIF or WebP from the user's computer, kept with the organisation's
/// templates and put in at the cursor.
#[component]
fn ImageButton(
    handle: EditorHandle,
    disabled: impl Fn() -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let locale = use_locale();
    let picker = NodeRef::<leptos::html::Input>::new();
    let upload = ServerAction::<UploadTemplateImage>::new();
    let problem = RwSignal::new(None::<String>);
    let alt = StoredValue::new(String::new());
    Effect::new(move |_| match upload.value().get() {
        Some(Ok(src)) => {
            let attrs = serde_json::json!({ "src": src, "alt": alt.get_value() });
            handle.command("image", &attrs.to_string());
            problem.set(None);
        }
        Some(Err(error)) => {
            let locale = locale.get_untracked();
            let message = error
                .validation()
                .and_then(|v| v.message_for("image", locale))
                .unwrap_or_else(|| error.message(locale));
            problem.set(Some(message));
        }
        None => {}
    });
    let chosen = move |_| {
        let Some(input) = picker.get_untracked() else {
            return;
        };
        #[cfg(feature = "hydrate")]
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            input.set_value("");
            if file.size() > postkamer_domain::templates::MAX_IMAGE_BYTES as f64 {
                let locale = locale.get_untracked();
                problem.set(Some(
                    postkamer_domain::templates::TemplateRule::ImageTooLarge
                        .message(locale)
                        .to_owned(),
                ));
                return;
            }
            alt.set_value(
                file.name()
                    .rsplit_once('.')
                    .map_or(file.name(), |(stem, _)| stem.to_owned()),
            );
            leptos::task::spawn_local(async move {
                match read_as_data_url(&file).await {
                    Ok(data_url) => {
                        upload.dispatch(UploadTemplateImage { data_url });
                    }
                    Err(message) => problem.set(Some(message)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = input;
    };
    view! {
        <button type="button" class="tb" data-test="tb-image" disabled=move || disabled() || upload.pending().get()
            title=move || t(locale.get(), "Afbeelding invoegen (PNG, JPEG, GIF of WebP, hoogstens 512 KB)", "Insert an image (PNG, JPEG, GIF or WebP, at most 512 KB)")
            on:mousedown=|e| e.prevent_default()
            on:click=move |_| {
                if let Some(input) = picker.get_untracked() {
                    input.click();
                }
            }>
            {move || if upload.pending().get() { t(locale.get(), "Uploaden…", "Uploading…") } else { t(locale.get(), "Afbeelding", "Image") }}
        </button>
        <input type="file" class="visually-hidden" tabindex="-1" aria-hidden="true" data-test="tb-image-file"
            accept="image/png,image/jpeg,image/gif,image/webp" node_ref=picker on:change=chosen />
        {move || problem.get().map(|message| view! {
            <span class="field-error tb-problem" role="alert" data-test="tb-image-refused">{message}</span>
        })}
    }
}

/// The file as a `data:` URL, read by the browser.
#[cfg(feature = "hydrate")]
async fn read_as_data_url(file: &web_sys::File) -> Result<String, String> {
    let failed = |_| "Het bestand kon niet worden gelezen.".to_owned();
    let reader = web_sys::FileReader::new().map_err(failed)?;
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        reader.set_onload(Some(&resolve));
        reader.set_onerror(Some(&reject));
    });
    reader.read_as_data_url(file).map_err(failed)?;
    wasm_bindgen_futures::JsFuture::from(loaded)
        .await
        .map_err(failed)?;
    reader
        .result()
        .ok()
        .and_then(|r| r.as_string())
        .ok_or_else(|| failed(wasm_bindgen::JsValue::NULL))
}

/// Div.: Inhoud (disabled with the reason when it cannot go in), Samenvoegveld, Handtekening.
#[component]
fn DivMenu(
    handle: EditorHandle,
    state: RwSignal<Option<EditorState>>,
    panel: RwSignal<Panel>,
) -> impl IntoView {
    let locale = use_locale();
    let refusal = move || state.with(|s| s.as_ref().and_then(|s| s.inhoud_refusal(locale.get())));
    let can_remove = move || state.with(|s| s.as_ref().is_some_and(|s| s.can_remove_inhoud));
    let act = move |name: &'static str| {
        handle.command(name, "");
        panel.set(Panel::None);
        handle.focus();
    };
    view! {
        <div class="tb-dropdown" role="menu" data-test="div-menu">
            <button type="button" role="menuitem" data-test="div-inhoud" disabled=move || refusal().is_some()
                title=move || refusal().unwrap_or_default()
                on:mousedown=|e| e.prevent_default() on:click=move |_| act("inhoud")>
                "Inhoud"
            </button>
            {move || refusal().map(|why| view! { <p class="muted small" data-test="div-inhoud-reason">{why}</p> })}
            <Show when=can_remove>
                <button type="button" role="menuitem" data-test="div-remove-inhoud"
                    on:mousedown=|e| e.prevent_default() on:click=move |_| act("remove_inhoud")>
                    {tr("Inhoud-blok verwijderen", "Remove the Inhoud block")}
                </button>
            </Show>
            <button type="button" role="menuitem" data-test="div-field"
                on:mousedown=|e| e.prevent_default() on:click=move |_| panel.set(Panel::Field)>
                {tr("Samenvoegveld…", "Merge field…")}
            </button>
            <button type="button" role="menuitem" data-test="div-signature"
                on:mousedown=|e| e.prevent_default() on:click=move |_| act("signature")>
                {tr("Handtekening", "Signature")}
            </button>
        </div>
    }
}

/// Div. → Samenvoegveld: a field from the list and the text for when it is empty.
#[component]
fn FieldPanel(handle: EditorHandle, panel: RwSignal<Panel>) -> impl IntoView {
    let locale = use_locale();
    let field = RwSignal::new(MergeField::Aanhef.key().to_owned());
    let fallback = RwSignal::new(String::new());
    let insert = move || {
        let attrs = serde_json::json!({ "field": field.get_untracked(), "fallback": fallback.get_untracked().trim() });
        handle.command("merge_field", &attrs.to_string());
        panel.set(Panel::None);
        handle.focus();
    };
    view! {
        <form class="tb-panel" data-test="field-panel" on:submit=move |e| { e.prevent_default(); insert(); }>
            <label>{tr("Samenvoegveld", "Merge field")}
                <select data-test="field-key" prop:value=field on:change=move |e| field.set(event_target_value(&e))>
                    {MergeField::ALL.into_iter().map(|f| view! {
                        <option value=f.key()>{move || field_label(f, locale.get())}" — {"{f.key()}"}"</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{tr("Tekst als het veld leeg is (optioneel)", "Text when the field is empty (optional)")}
                <input type="text" data-test="field-fallback" maxlength="200" prop:value=fallback
                    on:input=move |e| fallback.set(event_target_value(&e)) />
            </label>
            <div class="actions">
                <button type="submit" class="primary" data-test="field-insert">{tr("Invoegen", "Insert")}</button>
                <button type="button" on:click=move |_| { panel.set(Panel::None); handle.focus(); }>{tr("Annuleren", "Cancel")}</button>
            </div>
        </form>
    }
}

/// The link under the cursor: set (checked: http, https, mailto, tel) or removed.
#[component]
fn LinkPanel(
    handle: EditorHandle,
    state: RwSignal<Option<EditorState>>,
    panel: RwSignal<Panel>,
) -> impl IntoView {
    let current = state.with_untracked(|s| s.as_ref().and_then(|s| s.link.clone()));
    let has_link = current.is_some();
    let href = RwSignal::new(current.unwrap_or_default());
    let refused = RwSignal::new(false);
    let close = move || {
        panel.set(Panel::None);
        handle.focus();
    };
    let apply = move || {
        let url = complete_url(&href.get_untracked());
        let attrs = serde_json::json!({ "href": url });
        if handle.command("link", &attrs.to_string()) {
            close();
        } else {
            refused.set(true);
        }
    };
    view! {
        <form class="tb-panel" data-test="link-panel" on:submit=move |e| { e.prevent_default(); apply(); }>
            <label>{tr("Adres van de link", "Link address")}
                <input type="text" data-test="link-href" placeholder="https://" prop:value=href autofocus=true
                    on:input=move |e| { href.set(event_target_value(&e)); refused.set(false); } />
            </label>
            <Show when=move || refused.get()>
                <p class="field-error" role="alert" data-test="link-refused">{tr(
                    "Dit is geen geldige link: alleen webadressen (https://…), e-mailadressen (mailto:…) en telefoonnummers (tel:…).",
                    "This is not a valid link: only web addresses (https://…), e-mail addresses (mailto:…) and phone numbers (tel:…).",
                )}</p>
            </Show>
            <div class="actions">
                <button type="submit" class="primary" data-test="link-apply">{tr("Toepassen", "Apply")}</button>
                {has_link.then(|| view! {
                    <button type="button" data-test="link-remove" on:click=move |_| {
                        handle.command("link", "{\"href\":null}");
                        close();
                    }>{tr("Link verwijderen", "Remove link")}</button>
                })}
                <button type="button" on:click=move |_| close()>{tr("Annuleren", "Cancel")}</button>
            </div>
        </form>
    }
}

/// What people type for a link, made whole: `www.voorbeeld.nl` is a web address, `anna@…` an
/// e-mail address. Anything else is left for the editor's check.
fn complete_url(typed: &str) -> String {
    let typed = typed.trim();
    let has_scheme = typed.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if has_scheme {
        typed.to_owned()
    } else if typed.contains('@') && !typed.contains('/') {
        format!("mailto:{typed}")
    } else if typed.contains('.') && !typed.contains(char::is_whitespace) {
        format!("https://{typed}")
    } else {
        typed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::complete_url;

    #[test]
    fn typed_links_are_completed_only_where_it_is_clear() {
        assert_eq!(
            complete_url(" www.voorbeeld.nl "),
            "https://www.voorbeeld.nl"
        );
        assert_eq!(
            complete_url("anna@voorbeeld.nl"),
            "mailto:anna@voorbeeld.nl"
        );
        assert_eq!(complete_url("https://x.nl/a"), "https://x.nl/a");
        assert_eq!(complete_url("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(complete_url("geen link"), "geen link");
    }
}
