// The placeholder of a cloud-computed value in offline plans, apart from the mocks so that reading a plan never loads the Pulumi SDK.

/** How a value that only the cloud knows appears offline. */
export const COMPUTED = "<computed>";
