//! The error of a NEAT setting out of range, shared by the settings modules
//! (`config`, `lifetime`, `module_genes`) so none of them imports another for it.

/// A NEAT parameter outside its valid range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("neat.{field}: {message}")]
pub struct ConfigError {
    /// The offending field, as spelled in the config file (`add_node_prob`,
    /// `plasticity.eta_limit`, `lifetime[1].beta`).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl ConfigError {
    /// An error about `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}
