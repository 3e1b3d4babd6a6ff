//! The typed bindings to the editor module's facade (`frontend/editor/src/index.js`).

use super::{EditorState, MODULE_META};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "export function importModule(url) { return import(url); }")]
extern "C" {
    #[wasm_bindgen(js_name = importModule)]
    fn import_module(url: &str) -> js_sys::Promise;
}

#[wasm_bindgen]
extern "C" {
    /// The module's namespace object.
    type EditorModule;

    #[wasm_bindgen(method, catch)]
    fn mount(
        this: &EditorModule,
        element: &web_sys::HtmlElement,
        doc: &str,
        options: &str,
        on_event: &js_sys::Function,
    ) -> Result<JsEditor, JsValue>;

    /// A mounted editor.
    pub type JsEditor;

    #[wasm_bindgen(method, js_name = getDocument)]
    pub fn get_document(this: &JsEditor) -> String;

    #[wasm_bindgen(method, catch, js_name = setContent)]
    pub fn set_content(this: &JsEditor, doc: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, js_name = focusInhoud)]
    pub fn focus_inhoud(this: &JsEditor) -> bool;

    #[wasm_bindgen(method)]
    pub fn focus(this: &JsEditor);

    #[wasm_bindgen(method)]
    pub fn command(this: &JsEditor, name: &str, attrs: &str) -> bool;

    #[wasm_bindgen(method)]
    pub fn destroy(this: &JsEditor);
}

/// A mounted editor and the callback it reports through (which must live as long).
pub struct Mounted {
    pub editor: JsEditor,
    _on_event: Closure<dyn FnMut(String, String)>,
}

impl std::fmt::Debug for Mounted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Mounted")
    }
}

/// Where the editor's reports go.
pub struct Events {
    pub state: RwSignal<Option<EditorState>>,
    pub on_change: Callback<String>,
    pub link_requested: RwSignal<u32>,
}

/// An error thrown by the module, as text.
pub fn message(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

pub async fn mount(
    element: &web_sys::HtmlDivElement,
    doc: &str,
    options: &str,
    events: Events,
) -> Result<Mounted, String> {
    let url = document()
        .query_selector(&format!("meta[name={MODULE_META}]"))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .filter(|url| !url.is_empty())
        .ok_or_else(|| "De editor is niet meegebouwd (npm run build:editor).".to_owned())?;
    let module = wasm_bindgen_futures::JsFuture::from(import_module(&url))
        .await
        .map_err(|e| message(&e))?
        .unchecked_into::<EditorModule>();
    let Events {
        state,
        on_change,
        link_requested,
    } = events;
    let on_event =
        Closure::<dyn FnMut(String, String)>::new(move |kind: String, payload: String| match kind
            .as_str()
        {
            "change" => on_change.run(payload),
            "state" => {
                if let Ok(new) = serde_json::from_str::<EditorState>(&payload) {
                    state.try_set(Some(new));
                }
            }
            "link" => {
                link_requested.try_update(|n| *n += 1);
            }
            _ => {}
        });
    let editor = module
        .mount(element, doc, options, on_event.as_ref().unchecked_ref())
        .map_err(|e| message(&e))?;
    Ok(Mounted {
        editor,
        _on_event: on_event,
    })
}
