/**
 * The subset of Argo CD's API objects the gates read, named as in Argo CD's swagger
 * (`v1alpha1Application`, `v1alpha1ApplicationTree`, `v1alpha1Cluster`). Every field is optional
 * because the API description marks none as required; the gates treat absence as "not known".
 */

/** `v1alpha1ApplicationSource` (only what revision matching needs). */
export interface ApplicationSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
  ref?: string;
  name?: string;
}

/** `v1alpha1ApplicationCondition`: ComparisonError, InvalidSpecError, SyncError, … */
export interface ApplicationCondition {
  type?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** `v1alpha1SyncOperation` inside `v1alpha1Operation`. */
export interface SyncOperation {
  revision?: string;
  revisions?: string[];
}

/** `v1alpha1OperationState`: phases Running, Terminating, Failed, Error, Succeeded. */
export interface OperationState {
  phase?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  operation?: { sync?: SyncOperation };
  syncResult?: { revision?: string; revisions?: string[] };
}

/** `v1alpha1Application`. */
export interface Application {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
  };
  spec?: {
    project?: string;
    source?: ApplicationSource;
    sources?: ApplicationSource[];
    destination?: { name?: string; server?: string; namespace?: string };
    syncPolicy?: Record<string, unknown>;
  };
  status?: {
    /** Sync status: Synced, OutOfSync, Unknown. */
    sync?: { status?: string; revision?: string; revisions?: string[] };
    /** Health status: Healthy, Progressing, Degraded, Suspended, Missing, Unknown. */
    health?: { status?: string; message?: string; lastTransitionTime?: string };
    operationState?: OperationState;
    reconciledAt?: string;
    conditions?: ApplicationCondition[];
    resources?: unknown[];
    history?: unknown[];
    summary?: { images?: string[]; externalURLs?: string[] };
    sourceType?: string;
  };
  operation?: { sync?: SyncOperation };
}

/** `v1alpha1ApplicationList`. */
export interface ApplicationList {
  items?: Application[] | null;
  metadata?: { resourceVersion?: string };
}

/** `v1alpha1InfoItem`: for Pods Argo CD sets "Status Reason", "Node", "Containers", "Restart Count". */
export interface InfoItem {
  name?: string;
  value?: string;
}

/** `v1alpha1ResourceNode` (a `v1alpha1ResourceRef` plus live details). */
export interface ResourceNode {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  parentRefs?: { group?: string; kind?: string; namespace?: string; name?: string; uid?: string }[];
  info?: InfoItem[];
  health?: { status?: string; message?: string };
  images?: string[];
  resourceVersion?: string;
  createdAt?: string;
}

/** `v1alpha1ApplicationTree`. */
export interface ApplicationTree {
  nodes?: ResourceNode[] | null;
  orphanedNodes?: ResourceNode[] | null;
  hosts?: unknown[];
}

/** `v1alpha1ConnectionState`: status Successful, Failed, Unknown. */
export interface ConnectionState {
  status?: string;
  message?: string;
  attemptedAt?: string;
}

/** `v1alpha1Cluster`. Recent Argo CD reports the state in `info.connectionState`. */
export interface ArgoCluster {
  name?: string;
  server?: string;
  connectionState?: ConnectionState;
  info?: { connectionState?: ConnectionState; applicationsCount?: number; serverVersion?: string };
  labels?: Record<string, string>;
}

/** `v1alpha1ClusterList`. */
export interface ClusterList {
  items?: ArgoCluster[] | null;
  metadata?: Record<string, unknown>;
}
