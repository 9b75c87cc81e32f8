"""What a run gives back: the result as JSON data with its explanation (`output`), as a
readable text report (`render`), and the `patentpool allocate SCENARIO` command that reads a
scenario file and prints either (`command`). Nothing here computes money: it only formats a
`Result` the engine produced."""
