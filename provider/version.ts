// The package version, recorded in every resource's state (a unit test keeps it equal to package.json's).
export const PROVIDER_VERSION = "0.1.0";
