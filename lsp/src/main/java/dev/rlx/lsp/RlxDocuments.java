package dev.rlx.lsp;

import dev.rlx.interpreter.api.EditorSession;
import dev.rlx.interpreter.api.RlxError;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.TextDocumentService;

/**
 * Open documents (full text on every change) and the requests about them, each answered by {@link EditorSession}
 * on the analysis thread. Diagnostics are published after open, change and save; a check that a newer change has
 * already overtaken is skipped.
 */
final class RlxDocuments implements TextDocumentService {
    private record Open(int version, String text) {}

    private final Analysis analysis;
    private final Map<String, Open> open = new ConcurrentHashMap<>();
    private volatile LanguageClient client;

    RlxDocuments(Analysis analysis) {
        this.analysis = analysis;
    }

    void connect(LanguageClient client) {
        this.client = client;
    }

    // ---- document sync

    @Override
    public void didOpen(DidOpenTextDocumentParams params) {
        var doc = params.getTextDocument();
        open.put(doc.getUri(), new Open(doc.getVersion(), doc.getText()));
        publish(doc.getUri());
    }

    @Override
    public void didChange(DidChangeTextDocumentParams params) {
        String uri = params.getTextDocument().getUri();
        var changes = params.getContentChanges();
        if (changes.isEmpty()) {
            return;
        }
        // full sync: the last change holds the whole text
        open.put(uri, new Open(params.getTextDocument().getVersion(), changes.get(changes.size() - 1).getText()));
        publish(uri);
    }

    @Override
    public void didClose(DidCloseTextDocumentParams params) {
        String uri = params.getTextDocument().getUri();
        open.remove(uri);
        if (client != null) {
            client.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
        }
    }

    @Override
    public void didSave(DidSaveTextDocumentParams params) {
        publish(params.getTextDocument().getUri()); // a saved import may change what this file's check says
    }

    private void publish(String uri) {
        Open at = open.get(uri);
        if (at == null) {
            return;
        }
        analysis.submit(session -> {
            if (open.get(uri) != at) {
                return null; // overtaken by a newer change: its own check follows
            }
            List<Diagnostic> out = new ArrayList<>();
            for (EditorSession.Problem p : session.check(path(uri), at.text())) {
                String message = p.hint() == null ? p.message() : p.message() + "\nhint: " + p.hint();
                Diagnostic d = new Diagnostic(range(p.range()), message, DiagnosticSeverity.Error, "rlx");
                out.add(d);
            }
            if (client != null) {
                PublishDiagnosticsParams published = new PublishDiagnosticsParams(uri, out);
                published.setVersion(at.version());
                client.publishDiagnostics(published);
            }
            return null;
        }).exceptionally(e -> {
            // nobody awaits a publish: say it on stderr (the editor's server log), never on stdout (the protocol)
            System.err.println("rlx lsp: checking " + uri + " failed: " + e);
            return null;
        });
    }

    // ---- requests

    @Override
    public CompletableFuture<Hover> hover(HoverParams params) {
        String uri = params.getTextDocument().getUri();
        Position pos = params.getPosition();
        return withText(uri, (session, text) -> {
            String help = session.hover(path(uri), text, pos.getLine(), pos.getCharacter());
            return help == null ? null : new Hover(new MarkupContent(MarkupKind.PLAINTEXT, help));
        });
    }

    @Override
    public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(CompletionParams params) {
        String uri = params.getTextDocument().getUri();
        Position pos = params.getPosition();
        return withText(uri, (session, text) -> {
            List<CompletionItem> items = new ArrayList<>();
            for (EditorSession.Completion c : session.complete(path(uri), text, pos.getLine(), pos.getCharacter())) {
                items.add(LspShapes.completion(c));
            }
            return Either.forRight(new CompletionList(false, items));
        });
    }

    @Override
    public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>> definition(
            DefinitionParams params) {
        String uri = params.getTextDocument().getUri();
        Position pos = params.getPosition();
        return withText(uri, (session, text) -> {
            List<Location> out = new ArrayList<>();
            for (EditorSession.Place p : session.definition(path(uri), text, pos.getLine(), pos.getCharacter())) {
                out.add(new Location(p.file() == null ? uri : p.file().toUri().toString(), range(p.range())));
            }
            return Either.forLeft(out);
        });
    }

    @Override
    public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(
            DocumentSymbolParams params) {
        return withText(params.getTextDocument().getUri(), (session, text) -> {
            List<Either<SymbolInformation, DocumentSymbol>> out = new ArrayList<>();
            for (EditorSession.Symbol s : session.symbols(text)) {
                out.add(Either.forRight(LspShapes.symbol(s)));
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<List<? extends TextEdit>> formatting(DocumentFormattingParams params) {
        String uri = params.getTextDocument().getUri();
        return withText(uri, (session, text) -> {
            String formatted;
            try {
                formatted = session.format(path(uri), text);
            } catch (RlxError e) {
                return List.of(); // a file with errors is not formatted; its diagnostics say why
            }
            if (formatted.equals(text)) {
                return List.of();
            }
            int lines = (int) text.chars().filter(c -> c == '\n').count();
            var whole = new org.eclipse.lsp4j.Range(new Position(0, 0), new Position(lines + 1, 0));
            return List.of(new TextEdit(whole, formatted));
        });
    }

    // ---- helpers

    private interface Work<T> {
        T apply(EditorSession session, String text);
    }

    private <T> CompletableFuture<T> withText(String uri, Work<T> work) {
        Open at = open.get(uri);
        if (at == null) {
            return CompletableFuture.completedFuture(null);
        }
        return analysis.submit(session -> work.apply(session, at.text()));
    }

    /** The file behind a `file:` URI; null for an unsaved (untitled) document. */
    static Path path(String uri) {
        try {
            URI u = URI.create(uri);
            return "file".equals(u.getScheme()) ? Path.of(u) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static org.eclipse.lsp4j.Range range(EditorSession.Range r) {
        return new org.eclipse.lsp4j.Range(new Position(r.line(), r.character()),
                new Position(r.endLine(), r.endCharacter()));
    }
}
