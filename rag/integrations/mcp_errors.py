"""How the MCP server says a tool's rejected arguments: by name, one clause each, as its other
errors are (`Error executing tool ask: question: ...`), without pydantic's links or the value sent."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import ValidationError


def problems(error: ValidationError) -> str:
    """Each wrong argument and what is wrong with it, one clause each, without pydantic's links
    or the (perhaps long) value sent; a string too long is said in characters."""
    said = []
    for problem in error.errors(include_url=False):
        field = ".".join(str(part) for part in problem["loc"]) or "arguments"
        if problem["type"] == "too_long" and isinstance(problem.get("input"), str):
            limit = (problem.get("ctx") or {}).get("max_length")
            said.append(f"{field} is {len(problem['input']):,} characters; at most {limit:,} are taken")
        else:
            said.append(f"{field}: {problem['msg']}")
    return "; ".join(said)


class AttestServer(MCPServer):
    """The SDK's server, with a tool's rejected arguments said as its other errors are:
    `Error executing tool ask: question: ...`."""

    async def call_tool(self, name, arguments, context=None):
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as err:
            if type(err) is ToolError and isinstance(err.__cause__, ValidationError):  # the caller's arguments
                raise ToolError(f"Error executing tool {name}: {problems(err.__cause__)}") from err.__cause__
            raise
