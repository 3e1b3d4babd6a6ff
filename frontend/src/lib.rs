//! The browser entry: hydrates the server-rendered page and nothing else.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes (split wasm chunks) need the asynchronous hydration.
    leptos::mount::hydrate_lazy(postkamer_app::App);
}
