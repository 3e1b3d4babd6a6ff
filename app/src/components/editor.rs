//! The rich-text editor: ProseMirror in an ES module of its own (`frontend/editor`, built into
//! `public/editor/editor-<hash>.js`), loaded with a dynamic `import()` only when a page mounts an
//! editor, so the main bundle stays small. The server renders an empty element; on the client
//! the component loads the module, mounts the editor into it, draws the toolbar (the
//! "actiebalk", with the menu Div. → Inhoud / Samenvoegveld / Handtekening) from the state the
//! editor reports, and destroys the editor when the page goes.
//!
//! The same component serves the template editor (the Inhoud block may be added and removed)
//! and the compose window (the cursor starts in the Inhoud block, which cannot be deleted).

#[cfg(feature = "hydrate")]
mod js;
mod toolbar;

use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use postkamer_domain::Locale;
use postkamer_domain::merge::MergeField;
use serde::{Deserialize, Serialize};

/// The name of the `<meta>` that tells the page where the editor module is.
pub const MODULE_META: &str = "postkamer-editor";

/// What the editor edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditorMode {
    /// A template: the Inhoud block can be inserted (once) and removed.
    #[default]
    Template,
    /// A mail being written: the cursor starts in the Inhoud block; it cannot be deleted.
    #[expect(
        dead_code,
        reason = "the compose window (mail out) mounts the editor so"
    )]
    Compose,
}

/// The editor's state as the toolbar shows it; the editor reports it after every change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EditorState {
    pub strong: bool,
    pub em: bool,
    pub underline: bool,
    pub strike: bool,
    /// The link under the cursor.
    pub link: Option<String>,
    /// `paragraph`, `heading1` … `heading3`, `other`.
    pub block: String,
    /// `bullet`, `ordered`.
    pub list: Option<String>,
    pub quote: bool,
    pub align: String,
    pub can_undo: bool,
    pub can_redo: bool,
    pub has_inhoud: bool,
    pub in_inhoud: bool,
    /// Whether Div. → Inhoud can insert the block now: `ok`, or why not (`exists`, `nested`,
    /// `compose`).
    pub inhoud: String,
    pub can_remove_inhoud: bool,
    pub focused: bool,
}

impl EditorState {
    /// Why Div. → Inhoud is disabled, in the user's words; `None` when it is not.
    pub fn inhoud_refusal(&self, locale: Locale) -> Option<&'static str> {
        match self.inhoud.as_str() {
            "ok" => None,
            "exists" => Some(t(
                locale,
                "Dit sjabloon heeft al een Inhoud-blok; een sjabloon heeft er hoogstens één.",
                "This template already has an Inhoud block; a template has at most one.",
            )),
            "nested" => Some(t(
                locale,
                "Het Inhoud-blok kan niet in een lijst of citaat staan. Zet de cursor op een gewone regel.",
                "The Inhoud block cannot stand in a list or quote. Put the cursor on a plain line.",
            )),
            _ => Some(t(
                locale,
                "Het Inhoud-blok komt uit het sjabloon.",
                "The Inhoud block comes from the template.",
            )),
        }
    }
}

/// What the editor module needs to know besides the document.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Options {
    mode: EditorMode,
    read_only: bool,
    labels: Labels,
    image_base: &'static str,
}

#[derive(Debug, Serialize)]
struct Labels {
    inhoud: &'static str,
    signature: &'static str,
    fields: std::collections::BTreeMap<&'static str, &'static str>,
}

fn options(mode: EditorMode, read_only: bool, locale: Locale) -> String {
    let fields = MergeField::ALL
        .into_iter()
        .map(|f| (f.key(), field_label(f, locale)))
        .collect();
    let options = Options {
        mode,
        read_only,
        labels: Labels {
            inhoud: "Inhoud",
            signature: t(locale, "Handtekening", "Signature"),
            fields,
        },
        image_base: "/api/v1/templates/images/",
    };
    serde_json::to_string(&options).unwrap_or_default()
}

/// A merge field's label in the UI's language.
pub fn field_label(field: MergeField, locale: Locale) -> &'static str {
    let (nl, en) = field.label();
    t(locale, nl, en)
}

/// The page's hold on its editor: read the document, put the cursor in the Inhoud block, run
/// a toolbar command. Does nothing before the editor has mounted (and on the server).
#[derive(Debug, Clone, Copy)]
pub struct EditorHandle {
    #[cfg(feature = "hydrate")]
    mounted: StoredValue<Option<js::Mounted>, LocalStorage>,
}

impl Default for EditorHandle {
    fn default() -> Self {
        Self::new()
    }
}

impl EditorHandle {
    pub fn new() -> Self {
        Self {
            #[cfg(feature = "hydrate")]
            mounted: StoredValue::new_local(None),
        }
    }

    /// The document as it stands (ProseMirror JSON); `None` before the editor is there.
    pub fn document(self) -> Option<String> {
        #[cfg(feature = "hydrate")]
        return self
            .mounted
            .try_with_value(|m| m.as_ref().map(|m| m.editor.get_document()))
            .flatten();
        #[cfg(not(feature = "hydrate"))]
        None
    }

    /// Replaces the whole document (a load, not an undoable edit); the error says why the
    /// editor did not take it.
    pub fn set_content(self, doc: &str) -> Result<(), String> {
        #[cfg(feature = "hydrate")]
        return self
            .mounted
            .try_with_value(|m| m.as_ref().map(|m| m.editor.set_content(doc)))
            .flatten()
            .unwrap_or(Ok(()))
            .map_err(|e| js::message(&e));
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = doc;
            Ok(())
        }
    }

    /// Runs a toolbar command (`strong`, `heading` with `{"level":2}`, `inhoud` …); whether it
    /// applied.
    pub fn command(self, name: &str, attrs: &str) -> bool {
        #[cfg(feature = "hydrate")]
        return self
            .mounted
            .try_with_value(|m| m.as_ref().is_some_and(|m| m.editor.command(name, attrs)))
            .unwrap_or(false);
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (name, attrs);
            false
        }
    }

    /// Puts the cursor at the start of the Inhoud block; `false` when there is none.
    #[expect(
        dead_code,
        reason = "the compose window (mail out) starts in the Inhoud block"
    )]
    pub fn focus_inhoud(self) -> bool {
        #[cfg(feature = "hydrate")]
        return self
            .mounted
            .try_with_value(|m| m.as_ref().is_some_and(|m| m.editor.focus_inhoud()))
            .unwrap_or(false);
        #[cfg(not(feature = "hydrate"))]
        false
    }

    /// Gives the editor the keyboard focus back (after a toolbar control took it).
    pub fn focus(self) {
        #[cfg(feature = "hydrate")]
        self.mounted.try_with_value(|m| {
            if let Some(m) = m {
                m.editor.focus();
            }
        });
    }

    fn destroy(self) {
        #[cfg(feature = "hydrate")]
        if let Some(Some(mounted)) = self.mounted.try_update_value(Option::take) {
            mounted.editor.destroy();
        }
    }
}

/// The editor with its toolbar. `on_change` hears the document after every change.
#[component]
pub fn Editor(
    /// The document to start with (ProseMirror JSON; empty: one empty line).
    initial: String,
    handle: EditorHandle,
    #[prop(into)] on_change: Callback<String>,
    #[prop(optional)] mode: EditorMode,
    /// Show the document without toolbar, not editable (a Gebruiker looking at a template).
    #[prop(optional)]
    read_only: bool,
) -> impl IntoView {
    let locale = use_locale();
    let state = RwSignal::new(None::<EditorState>);
    let failed = RwSignal::new(None::<String>);
    let link_requested = RwSignal::new(0u32);
    let host = NodeRef::<leptos::html::Div>::new();
    let options = options(mode, read_only, locale.get_untracked());
    #[cfg(feature = "hydrate")]
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(element) = host.get() else {
            return false;
        };
        let (initial, options) = (initial.clone(), options.clone());
        let events = js::Events {
            state,
            on_change,
            link_requested,
        };
        leptos::task::spawn_local(async move {
            match js::mount(&element, &initial, &options, events).await {
                // The page may have gone while the module loaded.
                Ok(mounted) => {
                    if let Some(Some(orphan)) = handle.mounted.try_set_value(Some(mounted)) {
                        orphan.editor.destroy();
                    }
                }
                Err(message) => {
                    failed.try_set(Some(message));
                }
            }
        });
        true
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (initial, options, on_change);
    on_cleanup(move || handle.destroy());
    view! {
        <div class="pk-editor" class:read-only=read_only data-test="editor"
            data-ready=move || if state.get().is_some() { "true" } else { "false" }>
            {(!read_only).then(|| view! { <toolbar::Toolbar handle state link_requested /> })}
            <div class="pk-editor-body" node_ref=host data-test="editor-body"></div>
            {move || match failed.get() {
                Some(message) => view! {
                    <div class="notice error" role="alert" data-test="editor-failed">
                        <strong>{tr("De editor kon niet laden", "The editor could not load")}</strong>
                        <p>{message}</p>
                    </div>
                }.into_any(),
                None if state.get().is_none() => view! {
                    <p class="loading" data-test="editor-loading">{tr("Editor laden…", "Loading the editor…")}</p>
                }.into_any(),
                None => ().into_any(),
            }}
        </div>
    }
}
