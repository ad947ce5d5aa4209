package dev.portcullis.pdp.approval;

/** The approval-store contract in memory (one store: "another handle" is the same store). */
class InMemoryApprovalStoreTest extends ApprovalStoreContract {
    private InMemoryApprovalStore shared;

    @Override
    ApprovalStore openStore() {
        if (shared == null) {
            shared = new InMemoryApprovalStore();
        }
        return shared;
    }
}
