// Runs a use case's writes in one database transaction: all of them commit, or none.
export abstract class UnitOfWork {
  abstract transactional<T>(work: () => Promise<T>): Promise<T>;
}
