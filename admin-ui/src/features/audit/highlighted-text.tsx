import { highlightParts } from './highlight';

/** A message's text with each occurrence of the query in <mark> (text nodes only: nothing is parsed as HTML). */
export function HighlightedText({ text, query }: { text: string; query: string }) {
  return (
    <>
      {highlightParts(text, query).map((p, i) =>
        p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
      )}
    </>
  );
}
