/** Capacity units per second, read and write (a quota, a price tier, …). */
export interface CapacityUnitsPair {
  readCapacityUnits: number;
  writeCapacityUnits: number;
}

/** The module's options, resolved (see CapacityOptions for each). */
export interface CapacitySettings {
  readonly enforce: boolean;
  readonly burstSeconds: number;
  readonly tableQuota: CapacityUnitsPair;
  readonly accountQuota: CapacityUnitsPair;
  readonly maxTrackedKeys: number;
  readonly metricsWindowMinutes: number;
}
