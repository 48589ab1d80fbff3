//! The rustyline helper: a statement is complete at its `;` (meta commands at
//! the end of their line), so Enter inside a statement continues it.

use rustyline::Context;
use rustyline::completion::Completer;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Config, Editor, Helper};

use crate::error::{Error, Result};
use crate::sqlfile::is_complete;

/// Decides when the input is ready to run, and completes names.
pub(crate) struct ShellHelper {
    pub(crate) names: super::complete::Names,
}

impl Completer for ShellHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(super::complete::complete(line, pos, &self.names))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Highlighter for ShellHelper {}

impl Helper for ShellHelper {}

impl Validator for ShellHelper {
    fn validate(
        &self,
        ctx: &mut ValidationContext<'_>,
    ) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        let trimmed = input.trim();
        if trimmed.is_empty() || trimmed.starts_with('\\') || is_complete(input) {
            Ok(ValidationResult::Valid(None))
        } else {
            Ok(ValidationResult::Incomplete)
        }
    }
}

pub(crate) fn editor(
    names: super::complete::Names,
) -> Result<Editor<ShellHelper, FileHistory>> {
    let config = Config::builder()
        .auto_add_history(false)
        .completion_type(rustyline::CompletionType::List)
        .build();
    let mut editor = Editor::with_config(config)
        .map_err(|e| Error::Internal(format!("line editor: {e}")))?;
    editor.set_helper(Some(ShellHelper { names }));
    Ok(editor)
}
