// Markdown (the runbook) to Preact elements from marked's token tree: text stays text, raw HTML is shown as text, no innerHTML anywhere.
import { lexer, type Token, type Tokens } from "marked";
import type { ComponentChildren, JSX } from "preact";

/** Links are kept only to http(s), mailto and same-site targets; anything else reads as its text. */
function safeHref(href: string): string | undefined {
  return /^(https?:|mailto:|\/(?!\/)|#)/i.test(href.trim()) ? href : undefined;
}

function inline(tokens: readonly Token[] | undefined): ComponentChildren {
  return (tokens ?? []).map((t, i) => {
    switch (t.type) {
      case "text":
        return "tokens" in t && t.tokens ? inline(t.tokens) : t.text;
      case "escape":
      case "html":
        return t.text;
      case "codespan":
        return <code key={i}>{t.text}</code>;
      case "strong":
        return <strong key={i}>{inline(t.tokens)}</strong>;
      case "em":
        return <em key={i}>{inline(t.tokens)}</em>;
      case "del":
        return <del key={i}>{inline(t.tokens)}</del>;
      case "br":
        return <br key={i} />;
      case "link": {
        const href = safeHref(t.href);
        return href ? (
          <a key={i} href={href} rel="noreferrer noopener">
            {inline(t.tokens)}
          </a>
        ) : (
          inline(t.tokens)
        );
      }
      case "image":
        return t.text;
      default:
        return "raw" in t ? String(t.raw) : null;
    }
  });
}

function block(t: Token, i: number, level: number): JSX.Element | ComponentChildren {
  switch (t.type) {
    case "space":
      return null;
    case "heading": {
      const Tag = `h${Math.min(6, t.depth + level)}` as "h3";
      return <Tag key={i}>{inline(t.tokens)}</Tag>;
    }
    case "paragraph":
      return <p key={i}>{inline(t.tokens)}</p>;
    case "text":
      return "tokens" in t && t.tokens ? inline(t.tokens) : t.text;
    case "code":
      return (
        <pre key={i} tabIndex={0}>
          <code>{t.text}</code>
        </pre>
      );
    case "blockquote":
      return <blockquote key={i}>{(t.tokens ?? []).map((x, j) => block(x, j, level))}</blockquote>;
    case "hr":
      return <hr key={i} />;
    case "list": {
      const l = t as Tokens.List;
      const items = l.items.map((item, j) => (
        <li key={j}>{item.tokens.map((x, k) => block(x, k, level))}</li>
      ));
      return l.ordered ? (
        <ol key={i} start={typeof l.start === "number" ? l.start : undefined}>
          {items}
        </ol>
      ) : (
        <ul key={i}>{items}</ul>
      );
    }
    case "table": {
      const tb = t as Tokens.Table;
      return (
        <div key={i} class="table-scroll" tabIndex={0}>
          <table>
            <thead>
              <tr>
                {tb.header.map((c, j) => (
                  <th key={j} scope="col">
                    {inline(c.tokens)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {tb.rows.map((row, j) => (
                <tr key={j}>
                  {row.map((c, k) => (
                    <td key={k}>{inline(c.tokens)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    case "html":
      return <p key={i}>{t.text}</p>;
    default:
      return "raw" in t ? <p key={i}>{String(t.raw)}</p> : null;
  }
}

/** Renders Markdown; headings start at `<h{1 + level}>` so they sit below the page's own. */
export function Markdown(props: { source: string; level?: number }) {
  const tokens = lexer(props.source);
  return <div class="markdown">{tokens.map((t, i) => block(t, i, props.level ?? 2))}</div>;
}
