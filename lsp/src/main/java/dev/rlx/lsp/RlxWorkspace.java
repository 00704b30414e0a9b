package dev.rlx.lsp;

import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.services.WorkspaceService;

/** rlx has no workspace-wide settings or state: documents are checked one at a time, imports read when asked. */
final class RlxWorkspace implements WorkspaceService {
    @Override
    public void didChangeConfiguration(DidChangeConfigurationParams params) {
        // no settings
    }

    @Override
    public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
        // imports are read from disk at each check, so there is nothing cached to drop
    }
}
