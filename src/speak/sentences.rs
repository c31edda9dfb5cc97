//! Cutting generated text into sentences as it arrives, so speech can start before the reply ends.

/// Collects streamed text and hands out each sentence as soon as it is complete.
///
/// A sentence ends at `.`, `!` or `?` (with any closing quotes or brackets) followed by
/// whitespace, or at a line break. A period between digits ("$1,250.00") does not end one.
#[derive(Debug, Default, Clone)]
pub struct SentenceSplitter {
    pending: String,
}

impl SentenceSplitter {
    /// An empty splitter.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds streamed text; returns the sentences it completed, trimmed, in order.
    pub fn push(&mut self, text: &str) -> Vec<String> {
        self.pending.push_str(text);
        let mut done = Vec::new();
        while let Some(end) = sentence_end(&self.pending) {
            let rest = self.pending.split_off(end);
            let sentence = std::mem::replace(&mut self.pending, rest);
            let sentence = sentence.trim();
            if !sentence.is_empty() {
                done.push(sentence.to_string());
            }
        }
        done
    }

    /// The text left when the stream ends, if any.
    pub fn finish(&mut self) -> Option<String> {
        let rest = std::mem::take(&mut self.pending);
        let rest = rest.trim();
        (!rest.is_empty()).then(|| rest.to_string())
    }
}

/// Byte index just after the first complete sentence in `text` (its whitespace included).
fn sentence_end(text: &str) -> Option<usize> {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\n' {
            return Some(i + 1);
        }
        if matches!(c, '.' | '!' | '?') {
            // Closing quotes and brackets belong to the sentence.
            let mut end = i + c.len_utf8();
            while let Some(&(j, next)) = chars.peek() {
                if matches!(next, '"' | '\'' | ')' | ']' | '”' | '’' | '.' | '!' | '?') {
                    end = j + next.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            match chars.peek() {
                Some(&(_, next)) if next.is_whitespace() => return Some(end),
                _ => continue,
            }
        }
    }
    None
}

/// A whole text cut into sentences, as a speaker would stream it.
pub fn split(text: &str) -> Vec<String> {
    let mut splitter = SentenceSplitter::new();
    let mut sentences = splitter.push(text);
    sentences.extend(splitter.finish());
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_come_out_as_soon_as_they_end() {
        let mut s = SentenceSplitter::new();
        assert!(s.push("I understand. Could").len() == 1);
        assert_eq!(
            s.push(" you pay in 30 days? "),
            vec!["Could you pay in 30 days?"]
        );
        assert_eq!(s.push("Thanks"), Vec::<String>::new());
        assert_eq!(s.finish(), Some("Thanks".to_string()));
        assert_eq!(s.finish(), None);
    }

    #[test]
    fn numbers_quotes_and_ellipses_stay_whole() {
        let mut s = SentenceSplitter::new();
        let got = s.push("The balance is $1,250.00 today. He said \"fine.\" Well... ok!\nNext");
        assert_eq!(
            got,
            vec![
                "The balance is $1,250.00 today.",
                "He said \"fine.\"",
                "Well...",
                "ok!"
            ]
        );
        assert_eq!(s.finish(), Some("Next".into()));
    }

    #[test]
    fn token_by_token_gives_the_same_sentences() {
        let text = "First one. Second one! Third? Last";
        let mut whole = SentenceSplitter::new();
        let mut expected = whole.push(text);
        expected.extend(whole.finish());
        let mut pieces = SentenceSplitter::new();
        let mut got = Vec::new();
        for ch in text.chars() {
            got.extend(pieces.push(&ch.to_string()));
        }
        got.extend(pieces.finish());
        assert_eq!(got, expected);
    }
}
