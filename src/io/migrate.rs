//! Plan files of an older format version, brought up to the current one before they are parsed.
//!
//! - Version 1 → 2: version 1 allowed recovery group 0, which the recovery plan also uses for the
//!   steps before any machine fails over. Version 2 numbers groups from 1. A version-1 file that
//!   uses group 0 has every machine's group moved up by one, so the order of failover is kept
//!   (a group already at the largest number, 4294967295, stays there); other version-1 files
//!   need no change.
//!
//! Migration edits the text itself (numbers in place, found with jsonc-parser's syntax tree), so
//! the typed parse that follows still reports errors at their line and column and still refuses
//! a key given twice.

use std::borrow::Cow;

use jsonc_parser::ast::{ObjectProp, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};

/// The text of a file of format version `found`, as the current version would have written it.
pub(super) fn to_current(text: &str, found: u32) -> Cow<'_, str> {
    if found >= 2 {
        return Cow::Borrowed(text);
    }
    renumber_recovery_groups(text)
}

/// Version 1 → 2: when any machine is in recovery group 0, every machine's group moves up by one.
fn renumber_recovery_groups(text: &str) -> Cow<'_, str> {
    if super::locate::too_deep_to_locate(text) {
        return Cow::Borrowed(text); // serde_json refuses such nesting before it matters
    }
    let Ok(parsed) = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default()) else {
        return Cow::Borrowed(text); // the typed parse reports what is wrong with the text
    };
    let Some(Value::Object(root)) = parsed.value else { return Cow::Borrowed(text) };
    let machines = root.properties.iter().find(|property| property.name.as_str() == "machines");
    let Some(ObjectProp { value: Value::Array(machines), .. }) = machines else { return Cow::Borrowed(text) };
    // (byte range, group) of every recovery group written as a plain whole number.
    let groups: Vec<(std::ops::Range<usize>, u64)> = machines
        .elements
        .iter()
        .filter_map(|machine| match machine {
            Value::Object(machine) => machine.properties.iter().find(|property| property.name.as_str() == "recovery_group"),
            _ => None,
        })
        .filter_map(|property| match &property.value {
            Value::NumberLit(number) => {
                let group = number.value.parse().ok()?;
                Some((number.range().start..number.range().end, group))
            }
            _ => None,
        })
        .collect();
    if !groups.iter().any(|(_, group)| *group == 0) {
        return Cow::Borrowed(text);
    }
    let mut migrated = String::with_capacity(text.len() + groups.len());
    let mut copied = 0;
    for (range, group) in groups {
        migrated.push_str(&text[copied..range.start]);
        migrated.push_str(&group.saturating_add(1).min(u64::from(u32::MAX)).to_string());
        copied = range.end;
    }
    migrated.push_str(&text[copied..]);
    Cow::Owned(migrated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_zero_moves_every_group_up_by_one() {
        let text = r#"{"version": 1, "machines": [{"recovery_group": 0}, {"recovery_group": 2}, {"recovery_group":1}]}"#;
        assert_eq!(to_current(text, 1), r#"{"version": 1, "machines": [{"recovery_group": 1}, {"recovery_group": 3}, {"recovery_group":2}]}"#);
    }

    #[test]
    fn a_group_at_the_largest_number_stays_there() {
        let text = r#"{"machines": [{"recovery_group": 0}, {"recovery_group": 4294967295}]}"#;
        assert_eq!(to_current(text, 1), r#"{"machines": [{"recovery_group": 1}, {"recovery_group": 4294967295}]}"#);
    }

    #[test]
    fn files_without_group_zero_and_current_files_are_left_alone() {
        let text = r#"{"version": 1, "machines": [{"recovery_group": 1}, {"recovery_group": 9}]}"#;
        assert!(matches!(to_current(text, 1), Cow::Borrowed(_)));
        let current = r#"{"version": 2, "machines": [{"recovery_group": 0}]}"#;
        assert!(matches!(to_current(current, 2), Cow::Borrowed(_)), "version 2 refuses group 0 instead");
    }

    #[test]
    fn text_that_does_not_parse_is_left_for_the_typed_parse_to_report() {
        assert!(matches!(to_current("{\"machines\": [", 1), Cow::Borrowed(_)));
        assert!(matches!(to_current("[]", 1), Cow::Borrowed(_)));
    }
}
