package dev.rlx.lsp;
final class Placeholder {}
