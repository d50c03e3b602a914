import type { Agent, AgentId } from "../api/types";

interface AgentListProps {
  agents: Agent[];
  loading: boolean;
  deletingId: AgentId | null;
  onDelete: (agent: Agent) => void;
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function AgentList({ agents, loading, deletingId, onDelete }: AgentListProps) {
  if (!loading && agents.length === 0) {
    return <p className="empty">No agents yet. Create one below.</p>;
  }
  return (
    <table className="agents" aria-busy={loading}>
      <caption className="visually-hidden">Agents</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Provider</th>
          <th scope="col">Model</th>
          <th scope="col">Created</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {agents.map((agent) => (
          <tr key={agent.id} data-testid="agent-row" data-agent-id={agent.id}>
            <th scope="row">{agent.name}</th>
            <td data-label="Provider">{agent.provider}</td>
            <td data-label="Model">{agent.model}</td>
            <td data-label="Created">
              <time dateTime={agent.created_at}>{formatDate(agent.created_at)}</time>
            </td>
            <td className="actions">
              <button
                type="button"
                className="danger"
                aria-label={`Delete ${agent.name}`}
                disabled={deletingId !== null}
                onClick={() => {
                  onDelete(agent);
                }}
              >
                {deletingId === agent.id ? "Deleting…" : "Delete"}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
