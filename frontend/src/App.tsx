import { useCallback, useEffect, useState } from "react";
import { errorMessage, type ApiClient } from "./api/client";
import type { Agent, AgentId, AgentPage, NewAgent } from "./api/types";
import { AgentForm } from "./components/AgentForm";
import { AgentList } from "./components/AgentList";
import { ErrorAlert } from "./components/ErrorAlert";
import { HealthBadge } from "./components/HealthBadge";
import { Pagination } from "./components/Pagination";

export const PAGE_SIZE = 10;

interface AppProps {
  api: ApiClient;
  pageSize?: number;
}

/** What the last finished load returned, tagged with the request it answered. */
interface LoadResult {
  key: string;
  page: AgentPage | null;
  error: string | null;
}

export function App({ api, pageSize = PAGE_SIZE }: AppProps) {
  const [offset, setOffset] = useState(0);
  const [reloads, setReloads] = useState(0);
  const [result, setResult] = useState<LoadResult>({ key: "", page: null, error: null });
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [deletingId, setDeletingId] = useState<AgentId | null>(null);

  const key = `${offset}:${reloads}`;
  const loading = result.key !== key;

  useEffect(() => {
    let cancelled = false;
    api.listAgents({ limit: pageSize, offset }).then(
      (page) => {
        if (!cancelled) setResult({ key, page, error: null });
      },
      (error: unknown) => {
        if (!cancelled) setResult((prev) => ({ key, page: prev.page, error: errorMessage(error) }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, key, offset, pageSize]);

  const reload = useCallback(() => {
    setReloads((n) => n + 1);
  }, []);

  async function handleCreate(agent: NewAgent) {
    setNotice(null);
    const created = await api.createAgent(agent);
    setNotice(`Agent "${created.name}" created.`);
    reload();
  }

  async function handleDelete(agent: Agent) {
    setActionError(null);
    setNotice(null);
    setDeletingId(agent.id);
    try {
      await api.deleteAgent(agent.id);
      setNotice(`Agent "${agent.name}" deleted.`);
      const lastOnPage = result.page?.items.length === 1;
      if (lastOnPage && offset > 0) setOffset(Math.max(0, offset - pageSize));
      else reload();
    } catch (error) {
      setActionError(`Could not delete "${agent.name}": ${errorMessage(error)}`);
    } finally {
      setDeletingId(null);
    }
  }

  const page = result.page;

  return (
    <div className="app">
      <header className="app-header">
        <h1>HelloAgents console</h1>
        <HealthBadge api={api} />
      </header>
      <main>
        <section aria-labelledby="agents-heading">
          <div className="section-header">
            <h2 id="agents-heading">Agents</h2>
            <button type="button" onClick={reload} disabled={loading}>
              Refresh
            </button>
          </div>
          <ErrorAlert message={result.error && !loading ? `Could not load agents: ${result.error}` : null} />
          <ErrorAlert
            message={actionError}
            onDismiss={() => {
              setActionError(null);
            }}
          />
          <p className="notice" role="status">
            {notice}
          </p>
          {page ? (
            <>
              <AgentList
                agents={page.items}
                loading={loading}
                deletingId={deletingId}
                onDelete={(agent) => void handleDelete(agent)}
              />
              <Pagination
                total={page.total}
                limit={pageSize}
                offset={offset}
                disabled={loading}
                onChange={setOffset}
              />
            </>
          ) : (
            loading && <p className="loading">Loading agents…</p>
          )}
        </section>
        <section aria-labelledby="create-heading">
          <h2 id="create-heading">Create agent</h2>
          <AgentForm onSubmit={handleCreate} />
        </section>
      </main>
    </div>
  );
}
