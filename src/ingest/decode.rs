//! Bytes of a file to text: UTF-8 (with or without BOM), UTF-16 with BOM, and a
//! Windows-1252 fallback for legacy files, so that an article is never dropped for its encoding.

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Not valid UTF-8: decoded as Windows-1252 (a superset of Latin-1's printable range).
    Windows1252,
}

#[derive(Debug)]
pub enum DecodeError {
    /// NUL bytes or other signs of a binary file behind a text extension.
    Binary,
}

pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: Encoding,
}

/// Looks only at the first few KB: enough to tell a PNG or a PDF from text.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    // Control characters other than tab, newline, CR, form feed and ESC are rare in text.
    let ctrl = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    ctrl * 10 > head.len().max(1)
}

pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        if let Ok(s) = std::str::from_utf8(rest) {
            if looks_binary(rest) {
                return Err(DecodeError::Binary);
            }
            return Ok(Decoded {
                text: Cow::Borrowed(s),
                encoding: Encoding::Utf8Bom,
            });
        }
    }
    for (bom, enc, encoding) in [
        (&[0xFF, 0xFE], encoding_rs::UTF_16LE, Encoding::Utf16Le),
        (&[0xFE, 0xFF], encoding_rs::UTF_16BE, Encoding::Utf16Be),
    ] {
        if bytes.starts_with(bom) {
            let (text, _) = enc.decode_without_bom_handling(&bytes[2..]);
            if text.contains('\0') {
                return Err(DecodeError::Binary);
            }
            return Ok(Decoded {
                text: Cow::Owned(text.into_owned()),
                encoding,
            });
        }
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Decoded {
            text: Cow::Borrowed(s),
            encoding: Encoding::Utf8,
        }),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok(Decoded {
                text: Cow::Owned(text.into_owned()),
                encoding: Encoding::Windows1252,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_borrowed() {
        let d = decode("Guaidó".as_bytes()).unwrap();
        assert_eq!(d.encoding, Encoding::Utf8);
        assert!(matches!(d.text, Cow::Borrowed(_)));
    }

    #[test]
    fn bom_is_dropped() {
        let d = decode(b"\xEF\xBB\xBFTitle").unwrap();
        assert_eq!(d.text, "Title");
        assert_eq!(d.encoding, Encoding::Utf8Bom);
    }

    #[test]
    fn latin1_falls_back_to_windows_1252() {
        let d = decode(b"caf\xe9 \x93quoted\x94").unwrap();
        assert_eq!(d.text, "café \u{201c}quoted\u{201d}");
        assert_eq!(d.encoding, Encoding::Windows1252);
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "Hé".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&b).unwrap().text, "Hé");
    }

    #[test]
    fn png_is_binary() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").is_err());
    }
}
