// The environment variables `meshlift serve` reads, apart from the settings code so that `meshlift serve --help` names them cheaply.

/** The environment variables `meshlift serve` reads, for --help. */
export const SERVE_ENV = {
  host: "MESHLIFT_HOST",
  port: "MESHLIFT_PORT",
  dataDir: "MESHLIFT_HOME",
  db: "MESHLIFT_DB",
  tokensFile: "MESHLIFT_TOKENS_FILE",
  maxConcurrent: "MESHLIFT_MAX_CONCURRENT",
  maxBodyBytes: "MESHLIFT_MAX_BODY_BYTES",
  dbMaxBytes: "MESHLIFT_DB_MAX_BYTES",
  projectDir: "MESHLIFT_PROJECT_DIR",
  planWorkers: "MESHLIFT_PLAN_WORKERS",
  policyPacks: "MESHLIFT_POLICY_PACKS",
  runner: "MESHLIFT_RUNNER",
  operatorNamespace: "MESHLIFT_OPERATOR_NAMESPACE",
} as const;
