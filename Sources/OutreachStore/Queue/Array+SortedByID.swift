extension Array {
    /// The batch in ascending id order, as statements that find each row's values with
    /// `width_bucket(id, $1)` need their id array (see ``JobQueue``).
    func sortedByID(_ id: (Element) -> Int64) -> [Element] {
        sorted { id($0) < id($1) }
    }
}
