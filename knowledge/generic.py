"""List everyday words: matching one of them is weak evidence that a question is in scope.

"What time is it in New York?" shares "time" with the corpus, and "Who is the
president of France?" shares "president"; neither is about technical
assistance. Words from these lists still count when a passage matches them,
but less than the corpus's own vocabulary. The lists are hand-written from
general knowledge of very frequent nouns, verbs and adjectives.
"""

from __future__ import annotations

from typing import Final

GENERIC_WORDS: Final[dict[str, str]] = {
    "en": (
        "time year people way day man men woman women thing life child children world school"
        " family student group problem hand part place case week company system question work"
        " number night point home water room mother area story fact month lot right study book"
        " eye job word business issue side kind head house service friend father power hour game"
        " line end member law car city community name president team minute idea kid body back"
        " parent face level office door health person art war history party result change"
        " morning reason research girl guy moment air teacher force education price cost today"
        " good best great big small large long little old young high low early late last next"
        " first second new important public bad real sure free full hard easy nice happy"
        " go going make made take took come came see saw look looked think thought say said get"
        " got give gave find found tell told ask become leave feel put bring begin keep hold"
        " write stand hear let mean set meet run pay sit speak lie lead read grow lose fall send"
        " build stay play live believe happen buy sell travel travelling move open close start"
        " stop reset password email phone account internet online website app price money"
        " capital country countries state states tall height weight age"
    ),
    "fr": (
        "temps annee jour homme femme chose vie enfant monde ecole famille groupe probleme main"
        " partie place cas semaine entreprise systeme question travail nombre nuit point maison"
        " eau chambre mere histoire fait mois livre oeil mot affaire cote sorte tete service ami"
        " pere pouvoir heure jeu ligne fin membre loi voiture ville nom president equipe minute"
        " idee corps niveau bureau porte sante personne art guerre parti resultat changement matin"
        " raison prix cout aujourd hui bon meilleur grand petit long vieux jeune haut bas premier"
        " nouveau important public mauvais vrai libre facile aller faire prendre venir voir"
        " penser dire donner trouver mettre rester jouer vivre acheter vendre voyager ouvrir"
        " fermer commencer argent capitale pays etat etats"
    ),
    "es": (
        "tiempo ano dia hombre mujer cosa vida nino mundo escuela familia grupo problema mano"
        " parte lugar caso semana empresa sistema pregunta trabajo numero noche punto casa agua"
        " habitacion madre historia hecho mes libro ojo palabra negocio lado tipo cabeza servicio"
        " amigo padre poder hora juego linea fin miembro ley coche carro ciudad nombre presidente"
        " equipo minuto idea cuerpo nivel oficina puerta salud persona arte guerra partido"
        " resultado cambio manana razon precio costo hoy bueno mejor grande pequeno largo viejo"
        " joven alto bajo primero nuevo importante publico malo verdadero libre facil ir hacer"
        " tomar venir ver pensar decir dar encontrar poner quedar jugar vivir comprar vender"
        " viajar abrir cerrar empezar dinero capital pais paises estado estados"
    ),
}
