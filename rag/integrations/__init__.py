"""Attest where its users already work: an MCP server (`mcp_server`) and LlamaIndex
components (`llama_index`; its chat engine in `llama_index_chat`). Each is a thin face over
the Engine and adds no answer text.

The modules are imported by name (`rag.integrations.mcp_server`), not here, so that
loading one integration never pulls in the other's dependencies.
"""
