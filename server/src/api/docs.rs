//! A browsable page of the API, rendered from the same OpenAPI document as
//! `/api/v1/openapi.json`, without scripts or anything fetched from elsewhere.

use super::ApiDoc;
use axum::response::Html;
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{RefOr, Required};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn schema_name<T>(schema: &RefOr<T>) -> String {
    match schema {
        RefOr::Ref(r) => r
            .ref_location
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned(),
        RefOr::T(_) => "object".to_owned(),
    }
}

fn operation(method: &str, path: &str, op: &Operation) -> String {
    let mut html = format!(
        "<section class=\"op\"><h3><span class=\"method {m}\">{M}</span> <code>{p}</code></h3>",
        m = method,
        M = method.to_uppercase(),
        p = escape(path)
    );
    if let Some(summary) = op.summary.as_deref().or(op.description.as_deref()) {
        html.push_str(&format!("<p>{}</p>", escape(summary)));
    }
    if let Some(params) = &op.parameters {
        html.push_str("<table><tr><th>Parameter</th><th>In</th><th>Beschrijving</th></tr>");
        for p in params {
            let required = if matches!(p.required, Required::True) {
                " *"
            } else {
                ""
            };
            html.push_str(&format!(
                "<tr><td><code>{}</code>{required}</td><td>{:?}</td><td>{}</td></tr>",
                escape(&p.name),
                match p.parameter_in {
                    utoipa::openapi::path::ParameterIn::Path => "path",
                    utoipa::openapi::path::ParameterIn::Query => "query",
                    utoipa::openapi::path::ParameterIn::Header => "header",
                    utoipa::openapi::path::ParameterIn::Cookie => "cookie",
                },
                escape(p.description.as_deref().unwrap_or(""))
            ));
        }
        html.push_str("</table>");
    }
    if let Some(body) = &op.request_body {
        let names: Vec<String> = body
            .content
            .values()
            .filter_map(|c| c.schema.as_ref().map(schema_name))
            .collect();
        html.push_str(&format!(
            "<p>Body: <code>{}</code> (JSON)</p>",
            escape(&names.join(", "))
        ));
    }
    html.push_str("<ul class=\"responses\">");
    for (status, response) in &op.responses.responses {
        let description = match response {
            RefOr::T(r) => {
                let body: Vec<String> = r
                    .content
                    .values()
                    .filter_map(|c| c.schema.as_ref().map(schema_name))
                    .collect();
                if body.is_empty() {
                    r.description.clone()
                } else {
                    body.join(", ")
                }
            }
            RefOr::Ref(r) => r.ref_location.clone(),
        };
        html.push_str(&format!(
            "<li><code>{}</code> {}</li>",
            escape(status),
            escape(&description)
        ));
    }
    html.push_str("</ul></section>");
    html
}

pub async fn page() -> Html<String> {
    let doc = ApiDoc::openapi();
    let mut body = String::new();
    for (path, item) in &doc.paths.paths {
        for (method, op) in [
            ("get", &item.get),
            ("post", &item.post),
            ("put", &item.put),
            ("delete", &item.delete),
        ] {
            if let Some(op) = op {
                body.push_str(&operation(method, path, op));
            }
        }
    }
    let description = doc
        .info
        .description
        .as_deref()
        .map(escape)
        .unwrap_or_default();
    Html(format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Postkamer API</title><link rel=\"stylesheet\" href=\"/pkg/postkamer.css\"></head>\
         <body><main class=\"content api-docs\"><h1>{title} <small>v{version}</small></h1><p>{description}</p>\
         <p><a href=\"/api/v1/openapi.json\">OpenAPI-document (JSON)</a></p>{body}</main></body></html>",
        title = escape(&doc.info.title),
        version = escape(&doc.info.version),
    ))
}
