//! `drplan rules`: the rule catalog, one line a rule, or one rule explained at length.

use crate::validate;

/// `drplan rules`: one line per rule.
pub fn rules_table() -> String {
    let mut text = String::new();
    for rule in validate::rules() {
        text.push_str(&format!("{:<32} {:<8} {}\n", rule.id, rule.severity.to_string(), rule.summary));
        let titles = rule.sources.iter().map(|source| source.title).collect::<Vec<_>>().join("; ");
        text.push_str(&format!("{:<32} {:<8} source: {titles}\n", "", ""));
    }
    text
}

/// `drplan rules ID`: the rule's summary, severity, sources and long explanation.
pub fn rule_text(id: &str) -> Option<String> {
    let rule = validate::rule(id)?;
    let mut text = format!("{} ({})\n{}\n\n", rule.id, rule.severity, rule.summary);
    text.push_str(rule.explanation);
    text.push_str("\n\n");
    for source in rule.sources {
        match source.seed {
            Some(seed) => text.push_str(&format!("Source: \"{}\" (seed {seed})\n", source.title)),
            None => text.push_str(&format!("Source: {}\n", source.title)),
        }
    }
    Some(text)
}
