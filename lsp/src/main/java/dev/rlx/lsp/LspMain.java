package dev.rlx.lsp;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;

/** `rlx lsp`: serves one editor over a pair of streams (stdin and stdout) until it exits or closes them. */
public final class LspMain {
    private LspMain() {}

    /** Returns the exit code the protocol asks for: 0 after shutdown then exit, 1 when the editor just went away. */
    public static int serve(InputStream in, OutputStream out) {
        RlxLanguageServer server = new RlxLanguageServer();
        Launcher<LanguageClient> launcher = LSPLauncher.createServerLauncher(server, in, out);
        server.connect(launcher.getRemoteProxy());
        Future<Void> listening = launcher.startListening();
        server.exited().thenRun(() -> listening.cancel(true));
        try {
            listening.get();
        } catch (CancellationException | ExecutionException e) {
            // exit was notified, or the stream broke: either way this session is over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.stop();
        }
        return server.shutdownRequested() ? 0 : 1;
    }
}
