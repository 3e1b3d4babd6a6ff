//! `addressbook-query` filters over the CRM's fields.

use crate::store::StoredCard;
use crate::xml::PropFilter;

/// Does a card pass an `addressbook-query` filter?
pub(super) fn query_matches(card: &StoredCard, all_of: bool, filters: &[PropFilter]) -> bool {
    if filters.is_empty() {
        return true;
    }
    let data = &card.data;
    let values = |name: &str| -> Vec<String> {
        match name {
            "FN" => vec![data.display_name()],
            "N" => vec![format!(
                "{} {} {}",
                data.last_name, data.first_name, data.tussenvoegsel
            )],
            "EMAIL" => data.emails.iter().map(|e| e.address.clone()).collect(),
            "TEL" => data.phones.iter().map(|p| p.number.clone()).collect(),
            "ORG" => vec![data.organisation.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
            "TITLE" => vec![data.job_title.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
            "NOTE" => vec![data.notes.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
            "UID" => vec![data.uid.clone()],
            _ => Vec::new(),
        }
    };
    let one = |filter: &PropFilter| {
        let values = values(&filter.name);
        if filter.is_not_defined {
            return values.is_empty();
        }
        if filter.text_matches.is_empty() {
            return !values.is_empty();
        }
        let hits = filter
            .text_matches
            .iter()
            .map(|m| values.iter().any(|v| m.matches(v)));
        if filter.all_of {
            hits.into_iter().all(|h| h)
        } else {
            hits.into_iter().any(|h| h)
        }
    };
    if all_of {
        filters.iter().all(one)
    } else {
        filters.iter().any(one)
    }
}
