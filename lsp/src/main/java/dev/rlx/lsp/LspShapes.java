package dev.rlx.lsp;

import dev.rlx.interpreter.api.EditorSession;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.SymbolKind;

/** rlx's editor answers in LSP's shapes: completion item and symbol kinds. */
final class LspShapes {
    private LspShapes() {}

    static CompletionItem completion(EditorSession.Completion c) {
        CompletionItem item = new CompletionItem(c.label());
        item.setKind(switch (c.kind()) {
            case "function" -> CompletionItemKind.Function;
            case "module" -> CompletionItemKind.Module;
            case "keyword" -> CompletionItemKind.Keyword;
            case "key" -> CompletionItemKind.Property;
            case "argument" -> CompletionItemKind.Field;
            default -> CompletionItemKind.Variable;
        });
        item.setDetail(c.detail());
        if (c.documentation() != null) {
            item.setDocumentation(new MarkupContent(MarkupKind.PLAINTEXT, c.documentation()));
        }
        item.setInsertText(c.insertText());
        // named arguments and keys first, so `train {` and `recipe(` offer what fits there before every name
        item.setSortText((c.kind().equals("argument") || c.kind().equals("key") ? "0" : "1") + c.label());
        return item;
    }

    static DocumentSymbol symbol(EditorSession.Symbol s) {
        SymbolKind kind = switch (s.kind()) {
            case "import" -> SymbolKind.Module;
            case "function" -> SymbolKind.Function;
            case "reward" -> SymbolKind.Event;
            case "experiment" -> SymbolKind.Class;
            default -> SymbolKind.Variable;
        };
        DocumentSymbol d = new DocumentSymbol(s.name(), kind, RlxDocuments.range(s.range()),
                RlxDocuments.range(s.selection()));
        d.setDetail(s.detail());
        return d;
    }
}
