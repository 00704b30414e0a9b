package dev.rlx.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `rlx lsp` in-process, driven as an editor drives it: JSON-RPC over piped streams through LSP4J's launcher. */
class LspServerTest {
    @TempDir Path dir;

    private final BlockingQueue<PublishDiagnosticsParams> published = new LinkedBlockingQueue<>();
    private LanguageServer server;
    private CompletableFuture<Integer> exit;

    /** The editor's side: it only receives diagnostics; messages and logs are ignored. */
    private final class Editor implements LanguageClient {
        @Override
        public void publishDiagnostics(PublishDiagnosticsParams params) {
            published.add(params);
        }

        @Override
        public void telemetryEvent(Object object) {}

        @Override
        public void showMessage(MessageParams params) {}

        @Override
        public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams params) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void logMessage(MessageParams params) {}
    }

    @BeforeEach
    void start() throws Exception {
        PipedInputStream serverIn = new PipedInputStream(1 << 16);
        PipedOutputStream clientOut = new PipedOutputStream(serverIn);
        PipedInputStream clientIn = new PipedInputStream(1 << 16);
        PipedOutputStream serverOut = new PipedOutputStream(clientIn);
        exit = CompletableFuture.supplyAsync(() -> LspMain.serve(serverIn, serverOut));
        Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(new Editor(), clientIn, clientOut);
        launcher.startListening();
        server = launcher.getRemoteProxy();
        InitializeParams init = new InitializeParams();
        init.setCapabilities(new ClientCapabilities());
        var caps = server.initialize(init).get(60, TimeUnit.SECONDS).getCapabilities();
        assertTrue(caps.getHoverProvider().getLeft());
        assertEquals(List.of(".", "(", ",", "{"), caps.getCompletionProvider().getTriggerCharacters());
        server.initialized(new InitializedParams());
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown().get(30, TimeUnit.SECONDS);
        server.exit();
        assertEquals(0, exit.get(30, TimeUnit.SECONDS), "exit code after shutdown + exit");
    }

    private String open(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        String uri = file.toUri().toString();
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "rlx", 1, text)));
        return uri;
    }

    private List<Diagnostic> diagnostics(String uri) throws InterruptedException {
        while (true) {
            PublishDiagnosticsParams p = published.poll(60, TimeUnit.SECONDS);
            assertNotNull(p, "no diagnostics published");
            if (p.getUri().equals(uri)) {
                return p.getDiagnostics();
            }
        }
    }

    private static Range range(int line, int from, int toLine, int to) {
        return new Range(new Position(line, from), new Position(toLine, to));
    }

    @Test
    void diagnosticsAreRlxChecksMessagesAndCaretsForEveryErrorOfTheFile() throws Exception {
        String uri = open("bad.rlx", """
                import "std/credit" as credit
                total = sum(lenght("abc"), 2)
                bad = credit.grop(1)
                f(x) = x + 1
                g = f(1, 2)
                """);
        List<Diagnostic> ds = diagnostics(uri);
        assertEquals(3, ds.size(), ds.toString());
        assertEquals("unknown name 'lenght'\nhint: did you mean 'lengths'?", ds.get(0).getMessage());
        assertEquals(range(1, 12, 1, 18), ds.get(0).getRange());
        assertEquals("module std/credit has no member 'grop'\nhint: did you mean 'grpo'?", ds.get(1).getMessage());
        assertEquals(range(2, 13, 2, 17), ds.get(1).getRange());
        assertTrue(ds.get(2).getMessage().startsWith("f() takes 1 arguments, got 2 positional"), ds.get(2).getMessage());
        assertEquals(range(4, 4, 4, 11), ds.get(2).getRange());
        assertEquals("rlx", ds.get(0).getSource());

        // a syntax error after an edit: reported where the parser stops, with its hint; fixing it clears everything
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                new VersionedTextDocumentIdentifier(uri, 2), List.of(new TextDocumentContentChangeEvent("x = [1, 2\ny = 3\n"))));
        ds = diagnostics(uri);
        assertEquals(1, ds.size(), ds.toString());
        assertEquals("unexpected 'y'. Expecting: ']' or ','\nhint: the '[' opened at 1:5 is not closed", ds.get(0).getMessage());
        assertEquals(range(1, 0, 1, 1), ds.get(0).getRange());
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                new VersionedTextDocumentIdentifier(uri, 3), List.of(new TextDocumentContentChangeEvent("x = [1, 2]\n"))));
        assertEquals(List.of(), diagnostics(uri));
    }

    /** rlx counts columns in code points, LSP in UTF-16 units: an emoji before an error is two of them. */
    @Test
    void rangesCountUtf16UnitsAsLspDoes() throws Exception {
        String uri = open("u.rlx", "x = \"\uD83D\uDE00\uD83D\uDE00\" + lenght\n");
        List<Diagnostic> ds = diagnostics(uri);
        assertEquals(1, ds.size(), ds.toString());
        assertEquals(range(0, 13, 0, 19), ds.get(0).getRange());
        assertEquals("x = \"\uD83D\uDE00\uD83D\uDE00\" + lenght", hover(uri, 0, 0));
        assertEquals(range(0, 0, 0, 1), definition(uri, 0, 0).get(0).getRange());
    }

    @Test
    void anErrorInAnImportedFileIsShownAtTheImport() throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/util.rlx"), "twice(x) = x * tw\n");
        String uri = open("main.rlx", "import \"lib/util\" as u\nn = u.twice(2)\n");
        List<Diagnostic> ds = diagnostics(uri);
        assertEquals(1, ds.size(), ds.toString());
        assertTrue(ds.get(0).getMessage().startsWith("lib/util.rlx:1:16: unknown name 'tw'"), ds.get(0).getMessage());
        assertEquals(range(0, 0, 0, 22), ds.get(0).getRange());
    }

    private String hover(String uri, int line, int character) throws Exception {
        Hover h = server.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(uri),
                new Position(line, character))).get(60, TimeUnit.SECONDS);
        return h == null ? null : h.getContents().getRight().getValue();
    }

    @Test
    void hoverShowsTheHelpTextOfBuiltinsStdlibMembersOwnFunctionsAndTrainKeys() throws Exception {
        String uri = open("h.rlx", """
                import "std/credit" as credit
                /// Doubles x.
                twice(x, by = 2) = x * by
                a = credit.grpo(tensor([1, 0]), group: 2)
                cfg = train {steps: 10, rollout: {group: 4}}
                b = twice(3)
                """);
        diagnostics(uri);
        assertTrue(hover(uri, 3, 17).startsWith("tensor(values, dtype = none)\n  a tensor from a number or nested lists"),
                hover(uri, 3, 17));
        String grpo = hover(uri, 3, 13);
        assertTrue(grpo.startsWith("credit.grpo(scores, group, scale = \"group\", eps = 1e-6)\n  GRPO outcome advantage"), grpo);
        assertEquals(grpo, hover(uri, 3, 35), "a named argument shows its function");
        assertEquals("twice(x, by = 2)\n  Doubles x.", hover(uri, 5, 5));
        assertEquals("x: parameter of twice", hover(uri, 2, 19));
        assertTrue(hover(uri, 4, 14).startsWith("train.steps: int = 100  -- RL steps"), hover(uri, 4, 14));
        assertTrue(hover(uri, 4, 35).startsWith("train.rollout.group: int = 8  -- completions sampled per prompt"),
                hover(uri, 4, 35));
        assertTrue(hover(uri, 0, 24).startsWith("module std/credit:\n"), hover(uri, 0, 24));
        assertTrue(hover(uri, 0, 24).contains("\n  grpo(scores, group, scale, eps)\n"), hover(uri, 0, 24));
        assertNull(hover(uri, 3, 29), "nothing to say about a number");
        assertTrue(hover(uri, 4, 8).startsWith("train { ... }: an RL experiment"), hover(uri, 4, 8));
    }

    private List<String> complete(String uri, int line, int character) throws Exception {
        var result = server.getTextDocumentService().completion(new CompletionParams(new TextDocumentIdentifier(uri),
                new Position(line, character))).get(60, TimeUnit.SECONDS);
        return result.getRight().getItems().stream().map(CompletionItem::getLabel).toList();
    }

    @Test
    void completionOffersModuleMembersKeysArgumentsAndNamesInScope() throws Exception {
        String uri = open("c.rlx", """
                import "std/credit" as credit
                import "std/recipes/grpo" as grpo
                f(scores, width = 3) = let half = width / 2 in credit.
                cfg = train {steps: 10, rollout: {gr}, }
                e = grpo.recipe(policy: 1, )
                g(q, scale = 1) = [sc
                h = train {loss: (b) => b.old
                """);
        diagnostics(uri);
        List<String> members = complete(uri, 2, 54);
        assertTrue(members.containsAll(List.of("grpo", "rloo", "gae", "whiten")), members.toString());
        assertTrue(!members.contains("sum") && !members.contains("scores"), "only members after `credit.`: " + members);
        assertEquals(List.of("rloo"), complete(uri, 2, 54).stream().filter(s -> s.startsWith("rl")).toList());

        List<String> rollout = complete(uri, 3, 36);
        assertEquals(List.of("group"), rollout, "keys of train.rollout starting with 'gr'");
        List<String> trainKeys = complete(uri, 3, 38);
        assertTrue(trainKeys.containsAll(List.of("policy", "data", "rewards", "credit", "loss", "optimizer")), trainKeys.toString());
        assertTrue(!trainKeys.contains("steps") && !trainKeys.contains("rollout"), "keys given already: " + trainKeys);

        List<String> args = complete(uri, 4, 27);
        assertTrue(args.containsAll(List.of("policy", "data", "rewards", "group", "lr")), args.toString());
        assertTrue(args.containsAll(List.of("credit", "f", "sum")), "positional arguments may be any name: " + args);

        // in a declaration that does not parse yet: its parameters, then top-level names and builtins
        assertEquals(List.of("scale", "score", "score_sample"),
                complete(uri, 5, 21).stream().filter(s -> s.startsWith("sc")).toList());
        assertTrue(complete(uri, 5, 19).containsAll(List.of("q", "scale", "f", "cfg", "credit")), complete(uri, 5, 19).toString());
        assertEquals(List.of("old_logp", "old_values"), complete(uri, 6, 29), "the batch fields in a loss lambda");
        List<String> inLet = complete(uri, 2, 48);
        assertTrue(inLet.containsAll(List.of("half", "width", "scores", "cfg", "grpo", "tensor", "let")), inLet.toString());
    }

    private List<? extends Location> definition(String uri, int line, int character) throws Exception {
        return server.getTextDocumentService().definition(new DefinitionParams(new TextDocumentIdentifier(uri),
                new Position(line, character))).get(60, TimeUnit.SECONDS).getLeft();
    }

    @Test
    void definitionGoesAcrossImportsIntoTheStdlibAndToLocals() throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/util.rlx"), "base = 3\n\n/// Doubles.\ntwice(x, by = 2) = x * by\n");
        String uri = open("main.rlx", """
                import "lib/util" as u
                import "std/credit" as credit
                n = u.twice(u.base, by: 3)
                a = credit.grpo(tensor([1, 0]), group: 2)
                k(v) = let w = v + 1 in w * n
                """);
        diagnostics(uri);
        List<? extends Location> twice = definition(uri, 2, 7);
        assertEquals(1, twice.size());
        assertEquals(dir.resolve("lib/util.rlx").toUri().toString(), twice.get(0).getUri());
        assertEquals(range(3, 0, 3, 5), twice.get(0).getRange());
        assertEquals(range(3, 9, 3, 11), definition(uri, 2, 21).get(0).getRange(), "a named argument: its parameter");
        assertEquals(dir.resolve("lib/util.rlx").toUri().toString(), definition(uri, 0, 3).get(0).getUri(), "an import");

        Location grpo = definition(uri, 3, 12).get(0);
        assertTrue(grpo.getUri().endsWith("std/credit.rlx"), grpo.getUri());
        String stdText = Files.readString(Path.of(java.net.URI.create(grpo.getUri())));
        assertTrue(stdText.lines().toList().get(grpo.getRange().getStart().getLine()).startsWith("grpo("), grpo.toString());

        assertEquals(range(4, 11, 4, 12), definition(uri, 4, 24).get(0).getRange(), "w: its let binding");
        assertEquals(range(4, 2, 4, 3), definition(uri, 4, 15).get(0).getRange(), "v: its parameter");
        assertEquals(range(2, 0, 2, 1), definition(uri, 4, 28).get(0).getRange(), "n: the top-level binding");
        assertEquals(List.of(), definition(uri, 3, 18), "a builtin has no .rlx definition");
    }

    /** Typing never runs the script: a binding that would build and save a model stays unevaluated. */
    @Test
    void nothingIsEvaluated() throws Exception {
        String uri = open("e.rlx", """
                saved = save_model(gpt(vocab: 8, layers: 1, dim: 8, heads: 1, context: 8), "models/m")
                /// 1 when right.
                reward ok(s) = if s.answer == 1 then 1.0 else 0.0
                n = saved
                """);
        assertEquals(List.of(), diagnostics(uri));
        assertEquals("saved = save_model(gpt(vocab: 8, layers: 1, dim: 8, heads: 1, context: 8), \"models/m\")",
                hover(uri, 3, 5), "a binding shows its expression, not its value");
        assertEquals("ok(s)\n  1 when right.", hover(uri, 2, 8), "a reward function: its signature and doc, as :help");
        assertTrue(complete(uri, 3, 5).contains("saved"));
        assertEquals(range(0, 0, 0, 5), definition(uri, 3, 5).get(0).getRange());
        assertTrue(!Files.exists(dir.resolve("models")), "save_model ran");
    }

    @Test
    void symbolsAndFormatting() throws Exception {
        String text = "import \"std/credit\" as credit\nseed=7\nreward ok(s)=1.0\nexperiment e = train {steps:seed}\n";
        String uri = open("s.rlx", text);
        diagnostics(uri);
        List<DocumentSymbol> symbols = server.getTextDocumentService().documentSymbol(new DocumentSymbolParams(
                new TextDocumentIdentifier(uri))).get(60, TimeUnit.SECONDS).stream().map(e -> e.getRight()).toList();
        assertEquals(List.of("credit", "seed", "ok", "e"), symbols.stream().map(DocumentSymbol::getName).toList());
        assertEquals("ok(s)", symbols.get(2).getDetail());
        assertEquals(range(2, 7, 2, 9), symbols.get(2).getSelectionRange());

        List<? extends TextEdit> edits = server.getTextDocumentService().formatting(new DocumentFormattingParams(
                new TextDocumentIdentifier(uri), new FormattingOptions(2, true))).get(60, TimeUnit.SECONDS);
        assertEquals(1, edits.size());
        assertEquals("import \"std/credit\" as credit\nseed = 7\nreward ok(s) = 1.0\nexperiment e = train {steps: seed}\n",
                edits.get(0).getNewText());
        assertEquals(range(0, 0, 5, 0), edits.get(0).getRange());
    }
}
