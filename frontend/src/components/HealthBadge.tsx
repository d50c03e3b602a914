import { useEffect, useState } from "react";
import { errorMessage, type ApiClient } from "../api/client";
import type { HealthStatus } from "../api/types";

type BadgeState =
  | { kind: "checking" }
  | { kind: "answered"; status: HealthStatus; version: string | undefined }
  | { kind: "unreachable"; message: string };

interface HealthBadgeProps {
  api: Pick<ApiClient, "getHealth">;
}

export function HealthBadge({ api }: HealthBadgeProps) {
  const [state, setState] = useState<BadgeState>({ kind: "checking" });

  useEffect(() => {
    let cancelled = false;
    api.getHealth().then(
      (health) => {
        if (!cancelled) setState({ kind: "answered", status: health.status, version: health.version });
      },
      (error: unknown) => {
        if (!cancelled) setState({ kind: "unreachable", message: errorMessage(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  const status = state.kind === "answered" ? state.status : state.kind === "checking" ? "checking" : "fail";
  const title = state.kind === "unreachable" ? state.message : undefined;

  return (
    <p className="health" aria-live="polite">
      <span>API health:</span>{" "}
      <span className={`badge badge-${status}`} data-testid="health-status" data-status={status} title={title}>
        {status}
      </span>
      {state.kind === "answered" && state.version && (
        <span className="health-version" data-testid="health-version">
          {" "}
          v{state.version.replace(/^v/, "")}
        </span>
      )}
      {state.kind === "unreachable" && <span className="health-detail"> (unreachable)</span>}
    </p>
  );
}
