//! The pages behind a lazy route: their code is split out of the main wasm bundle and loaded
//! when the route is first visited (`cargo leptos build --split`), so the first load stays small
//! as the application grows. The login page and the frame stay in the main bundle.

use crate::components::HydrationMark;
use crate::pages::{beheer, mail, relations};
use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// A lazy route that renders one page component.
macro_rules! lazy_page {
    ($route:ident, $($page:ident)::+) => {
        #[derive(Debug, Clone, Copy)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <HydrationMark /> {$($page)::+()} }.into_any()
            }
        }
    };
}

lazy_page!(InboxRoute, mail::InboxPage);
lazy_page!(MessageRoute, mail::MessagePage);
lazy_page!(OutboxRoute, mail::OutboxPage);
lazy_page!(PersonsRoute, relations::PersonsPage);
lazy_page!(PersonRoute, relations::PersonPage);
lazy_page!(NewPersonRoute, relations::NewPersonPage);
lazy_page!(EditPersonRoute, relations::EditPersonPage);
lazy_page!(CompaniesRoute, relations::CompaniesPage);
lazy_page!(CompanyRoute, relations::CompanyPage);
lazy_page!(NewCompanyRoute, relations::NewCompanyPage);
lazy_page!(EditCompanyRoute, relations::EditCompanyPage);
lazy_page!(BeheerRoute, beheer::BeheerIndex);
lazy_page!(UsersRoute, beheer::UsersPage);
lazy_page!(AddressLogRoute, beheer::AddressLogPage);
lazy_page!(DetailsRoute, beheer::DetailsPage);
lazy_page!(PasswordRoute, beheer::PasswordPage);
lazy_page!(TokensRoute, beheer::TokensPage);
lazy_page!(MailboxRoute, beheer::MailboxPage);
lazy_page!(SyncRoute, beheer::SyncPage);
lazy_page!(DomainsRoute, beheer::DomainsPage);
lazy_page!(DomainRoute, beheer::DomainPage);
lazy_page!(JobsRoute, beheer::JobsPage);
lazy_page!(TemplatesRoute, beheer::TemplatesPage);
lazy_page!(TemplateRoute, beheer::TemplatePage);
lazy_page!(ActionTypesRoute, beheer::ActionTypesPage);
