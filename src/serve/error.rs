//! Errors of the API: a status and a message, sent as `{"error": "..."}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
        }
    }

    /// A failed search: the query's fault (400, with the message the CLI prints) unless
    /// reading the index failed below it. Parse errors carry no tantivy or I/O error.
    pub fn from_search(e: anyhow::Error) -> ApiError {
        let from_index = e
            .chain()
            .any(|c| c.is::<tantivy::TantivyError>() || c.is::<std::io::Error>());
        if from_index {
            ApiError::internal(format!("reading the index failed: {e:#}"))
        } else {
            ApiError::bad_request(format!("{e:#}"))
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message }).to_string();
        super::json_response(self.status, body)
    }
}
