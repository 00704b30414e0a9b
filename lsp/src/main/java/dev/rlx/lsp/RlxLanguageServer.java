package dev.rlx.lsp;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/** The rlx language server: what it offers, and its lifecycle (initialize, shutdown, exit). */
public final class RlxLanguageServer implements LanguageServer, LanguageClientAware {
    private final Analysis analysis = new Analysis();
    private final RlxDocuments documents = new RlxDocuments(analysis);
    private final RlxWorkspace workspace = new RlxWorkspace();
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private volatile boolean shutdown;

    @Override
    public void connect(LanguageClient client) {
        documents.connect(client);
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        ServerCapabilities caps = new ServerCapabilities();
        caps.setTextDocumentSync(TextDocumentSyncKind.Full);
        caps.setHoverProvider(true);
        caps.setDefinitionProvider(true);
        caps.setDocumentSymbolProvider(true);
        caps.setDocumentFormattingProvider(true);
        caps.setCompletionProvider(new CompletionOptions(false, List.of(".", "(", ",", "{")));
        return CompletableFuture.completedFuture(new InitializeResult(caps, new ServerInfo("rlx", Analysis.version())));
    }

    @Override
    public CompletableFuture<Object> shutdown() {
        shutdown = true;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void exit() {
        exited.complete(null);
    }

    @Override
    public TextDocumentService getTextDocumentService() {
        return documents;
    }

    @Override
    public WorkspaceService getWorkspaceService() {
        return workspace;
    }

    CompletableFuture<Void> exited() {
        return exited;
    }

    boolean shutdownRequested() {
        return shutdown;
    }

    void stop() {
        analysis.stop();
    }
}
